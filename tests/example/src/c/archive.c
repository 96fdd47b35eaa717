/* archive: helper binary the notes service runs to pack a user's uploads into a tarball and
 * print the manifest. Deliberately vulnerable: part of aspm's bundled example project. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "token.h"

#define NAME_LEN 16

static void log_request(const char *user)
{
    printf(user);
    printf("\n");
}

static char *read_manifest(const char *path)
{
    char *buf = malloc(256);
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        return NULL;
    }
    if (fgets(buf, 256, f) == NULL) {
        buf[0] = '\0';
    }
    fclose(f);
    return buf;
}

static int pack_uploads(const char *user, const char *dir)
{
    char name[NAME_LEN];
    char cmd[128];

    strcpy(name, user);
    sprintf(cmd, "tar czf /tmp/%s.tgz %s", name, dir);
    return system(cmd);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: archive USER DIR\n");
        return 2;
    }
    log_request(argv[1]);

    char *manifest = read_manifest(argv[2]);
    if (manifest != NULL) {
        free(manifest);
        if (manifest[0] == '#') {
            puts("manifest has a header");
        }
    }

    printf("download token: %s\n", make_token());
    return pack_uploads(argv[1], argv[2]);
}
