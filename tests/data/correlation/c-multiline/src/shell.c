/* A small command runner whose calls span several lines, scanned by four analyzers to measure
 * how aspm merges reports that point at different lines of one statement. Not built into aspm. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct job {
  char name[8];
  char *output;
};

/* Command from the caller, built over several lines. */
int run_job(const char *command) {
  return system(
      /* the shell sees exactly
       * what the caller passed */
      command);
}

/* Format string from the caller, in a call split over lines. */
void report(FILE *out, const char *status) {
  fprintf(
      out,
      /* no format of our own: the
       * status line is printed as
       * the caller wrote it */
      status);
}

/* Overflow of a fixed field by a copy split over lines. */
void name_job(struct job *j, const char *name) {
  strcpy(
      j->name,
      /* caller-controlled,
       * any length */
      name);
}

/* Overflow by a constant that is too long. */
void default_name(struct job *j) {
  strcpy(
      /* the field holds
       * seven characters
       * and a NUL */
      j->name,
      "a-job-name-that-"
      "does-not-fit-"
      "in-eight-bytes");
}

/* Leak on the error path of a multi-line allocation. */
int capture(struct job *j, const char *text) {
  char *copy = malloc(
      strlen(text) +
      /* terminator */
      1);
  if (!copy) return -1;
  strcpy(copy, text);
  if (copy[0] == '#') return -2;
  j->output = copy;
  return 0;
}

/* Use after free in a call whose argument is on a later line. */
size_t output_length(struct job *j) {
  char *o = j->output;
  free(o);
  return strlen(
      /* freed above */
      /* and read here */
      o);
}

/* A log line whose format comes from the caller. */
void log_line(const char *line) {
  printf(
      /* printed as a
       * format, so a %n
       * in it writes */
      line);
}

/* Unbounded read into a fixed buffer. */
void read_name(struct job *j) {
  char line[16];
  scanf(
      "%s",
      /* no width */
      line);
  memcpy(j->name, line, sizeof j->name);
}

/* Null dereference. */
void clear_output(struct job *j, int keep) {
  char *p = NULL;
  if (keep) p = j->output;
  *p = 0;
}

int main(int argc, char **argv) {
  struct job j = {{0}, NULL};
  name_job(&j, argc > 1 ? argv[1] : "x");
  default_name(&j);
  capture(&j, argc > 2 ? argv[2] : "y");
  report(stdout, argc > 1 ? argv[1] : "-");
  log_line(argc > 1 ? argv[1] : "-");
  read_name(&j);
  clear_output(&j, argc > 4);
  j.output = malloc(4);
  printf("%zu\n", output_length(&j));
  return run_job(argc > 3 ? argv[3] : "true");
}
