#ifndef MARQUEE_CSPAWN_H
#define MARQUEE_CSPAWN_H

#include <spawn.h>

/// pipe2(fds, O_CLOEXEC): both ends closed on exec, so no other child inherits them.
int cspawn_pipe_cloexec(int fds[2]);

/// posix_spawn_file_actions_addclosefrom_np (glibc 2.34): close every descriptor from `from` up.
int cspawn_addclosefrom(posix_spawn_file_actions_t *actions, int from);

/// posix_spawn_file_actions_addchdir_np (glibc 2.29): the child's working directory.
int cspawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);

#endif
