#include "CNcurses.h"
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static SCREEN *marquee_screen = NULL;
static volatile sig_atomic_t marquee_active = 0;

void marquee_set_locale(void) { setlocale(LC_ALL, ""); }

int marquee_start(FILE *output, FILE *input) {
    if (output != NULL) {
        marquee_screen = newterm(NULL, output, input != NULL ? input : stdin);
        if (marquee_screen == NULL) return -1;
        set_term(marquee_screen);
    } else {
        if (initscr() == NULL) return -1;
    }
    marquee_active = 1;
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    if (has_colors()) {
        start_color();
        use_default_colors();
    }
    return 0;
}

void marquee_stop(void) {
    if (!marquee_active) return;
    marquee_active = 0;
    curs_set(1);
    endwin();
    if (marquee_screen != NULL) {
        delscreen(marquee_screen);
        marquee_screen = NULL;
    }
}

static void marquee_restore_and_reraise(int signal_number) {
    if (marquee_active) {
        marquee_active = 0;
        endwin();
    }
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    sigaction(signal_number, &action, NULL);
    raise(signal_number);
}

static void marquee_atexit(void) { marquee_stop(); }

void marquee_install_restore_handlers(void) {
    static int installed = 0;
    if (installed) return;
    installed = 1;
    atexit(marquee_atexit);
    int signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE, SIGTERM, SIGHUP, SIGQUIT};
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = marquee_restore_and_reraise;
        sigemptyset(&action.sa_mask);
        sigaction(signals[i], &action, NULL);
    }
}

static struct sigaction marquee_previous_winch;
static volatile int marquee_winch_fd = -1;

static void marquee_winch(int signal_number) {
    if (marquee_winch_fd >= 0) {
        char byte = 'w';
        ssize_t ignored = write(marquee_winch_fd, &byte, 1);
        (void)ignored;
    }
    if (marquee_previous_winch.sa_flags & SA_SIGINFO) {
        if (marquee_previous_winch.sa_sigaction != NULL) marquee_previous_winch.sa_sigaction(signal_number, NULL, NULL);
    } else if (marquee_previous_winch.sa_handler != SIG_DFL && marquee_previous_winch.sa_handler != SIG_IGN) {
        marquee_previous_winch.sa_handler(signal_number);
    }
}

void marquee_watch_resize(int wake_fd) {
    marquee_winch_fd = wake_fd;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = marquee_winch;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGWINCH, &action, &marquee_previous_winch);
}

int marquee_lines(void) { return LINES; }
int marquee_cols(void) { return COLS; }
int marquee_colors(void) { return has_colors() ? COLORS : 0; }
int marquee_color_pairs(void) { return has_colors() ? COLOR_PAIRS : 0; }
int marquee_has_colors(void) { return has_colors() ? 1 : 0; }

int marquee_init_pair(int pair, int fg, int bg) { return init_extended_pair(pair, fg, bg) == OK ? 0 : -1; }

void marquee_put(int y, int x, const char *text, unsigned int attributes, int pair) {
    attr_set((attr_t)attributes, 0, &pair);
    mvaddstr(y, x, text);
}

void marquee_flush(void) {
    attr_set(A_NORMAL, 0, NULL);
    refresh();
}

void marquee_clear(void) { clearok(stdscr, TRUE); }

int marquee_read_key(uint32_t *character) {
    wint_t value = 0;
    int result = get_wch(&value);
    if (result == ERR) return 0;
    *character = (uint32_t)value;
    return result == KEY_CODE_YES ? 2 : 1;
}

unsigned int marquee_attr_bold(void) { return A_BOLD; }
unsigned int marquee_attr_dim(void) { return A_DIM; }
unsigned int marquee_attr_underline(void) { return A_UNDERLINE; }
unsigned int marquee_attr_reverse(void) { return A_REVERSE; }
unsigned int marquee_attr_italic(void) { return A_ITALIC; }

int marquee_key_resize(void) { return KEY_RESIZE; }
int marquee_key_up(void) { return KEY_UP; }
int marquee_key_down(void) { return KEY_DOWN; }
int marquee_key_left(void) { return KEY_LEFT; }
int marquee_key_right(void) { return KEY_RIGHT; }
int marquee_key_npage(void) { return KEY_NPAGE; }
int marquee_key_ppage(void) { return KEY_PPAGE; }
int marquee_key_home(void) { return KEY_HOME; }
int marquee_key_end(void) { return KEY_END; }
int marquee_key_backspace(void) { return KEY_BACKSPACE; }
int marquee_key_enter(void) { return KEY_ENTER; }
int marquee_key_dc(void) { return KEY_DC; }
int marquee_key_btab(void) { return KEY_BTAB; }
