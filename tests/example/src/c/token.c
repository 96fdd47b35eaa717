/* token: builds the download token printed by archive. Deliberately weak: part of aspm's
 * bundled example project. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "token.h"

static const char ALPHABET[] = "abcdefghijklmnopqrstuvwxyz0123456789";

const char *make_token(void)
{
    static char token[8];
    int i;

    srand((unsigned)time(NULL));
    for (i = 0; i <= 8; i++) {
        token[i] = ALPHABET[rand() % 36];
    }
    fprintf(stderr, "token of %d bytes\n", sizeof token);
    return token;
}
