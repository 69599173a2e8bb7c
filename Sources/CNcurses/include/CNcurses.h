#ifndef MARQUEE_CNCURSES_H
#define MARQUEE_CNCURSES_H

#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <ncursesw/curses.h>

/// Sets the locale from the environment so UTF-8 renders; call before initscr.
void marquee_set_locale(void);

/// Starts curses on the terminal (or on `output` when non-NULL, for benchmarks). Returns 0 on success.
int marquee_start(FILE *output, FILE *input);

/// Ends curses and restores the terminal. Safe to call more than once.
void marquee_stop(void);

/// Installs handlers so a crash or a termination signal restores the terminal first.
void marquee_install_restore_handlers(void);

/// After curses starts: on SIGWINCH, also write a byte to `wake_fd` (then run curses' own handler),
/// so a thread sleeping in poll() notices the resize.
void marquee_watch_resize(int wake_fd);

int marquee_lines(void);
int marquee_cols(void);
int marquee_colors(void);
int marquee_color_pairs(void);
int marquee_has_colors(void);

/// Defines pair `pair` as (fg, bg); -1 is the terminal default. Returns 0 on success.
int marquee_init_pair(int pair, int fg, int bg);

/// Writes UTF-8 `text` at (y, x) with attributes (A_BOLD etc.) and colour pair.
void marquee_put(int y, int x, const char *text, unsigned int attributes, int pair);

/// Moves the cursor (hidden) and flushes the changes to the terminal.
void marquee_flush(void);

/// Forces a full repaint on the next flush.
void marquee_clear(void);

/// Reads one key without blocking. Returns 0 when none is pending, 1 for a character
/// (in *character), 2 for a function key (KEY_* in *character).
int marquee_read_key(uint32_t *character);

/// Attribute bits for Swift.
unsigned int marquee_attr_bold(void);
unsigned int marquee_attr_dim(void);
unsigned int marquee_attr_underline(void);
unsigned int marquee_attr_reverse(void);
unsigned int marquee_attr_italic(void);

/// Function key codes for Swift.
int marquee_key_resize(void);
int marquee_key_up(void);
int marquee_key_down(void);
int marquee_key_left(void);
int marquee_key_right(void);
int marquee_key_npage(void);
int marquee_key_ppage(void);
int marquee_key_home(void);
int marquee_key_end(void);
int marquee_key_backspace(void);
int marquee_key_enter(void);
int marquee_key_dc(void);
int marquee_key_btab(void);

#endif
