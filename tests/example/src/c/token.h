/* token: download tokens for archives (weak on purpose: aspm's bundled example project). */
#ifndef EXAMPLE_TOKEN_H
#define EXAMPLE_TOKEN_H

const char *make_token(void);

#endif
