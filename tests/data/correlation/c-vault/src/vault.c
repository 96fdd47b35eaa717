/* A tiny secrets vault with deliberate memory-safety bugs, scanned by four analyzers to measure
 * how well aspm merges their reports of the same problem. Not built into aspm. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
  char name[8];
  char *value;
};

/* Overflow: a constant longer than the field. */
void set_default_name(struct entry *e) {
  strcpy(e->name, "administrator-account");
}

/* Overflow: caller-controlled text into a fixed field. */
void set_name(struct entry *e, const char *name) {
  strcpy(e->name, name);
}

/* Leak on the error path. */
int load_value(struct entry *e, const char *text) {
  char *copy = malloc(strlen(text) + 1);
  if (!copy) return -1;
  strcpy(copy, text);
  if (copy[0] == '#') return -2;
  e->value = copy;
  return 0;
}

/* Double free. */
void drop_value(struct entry *e) {
  free(e->value);
  if (e->name[0] == 0) free(e->value);
  e->value = NULL;
}

/* Use after free. */
size_t value_length_after_drop(struct entry *e) {
  char *v = e->value;
  free(v);
  return strlen(v);
}

/* Null dereference. */
void clear_first(struct entry *e, int use_value) {
  char *p = NULL;
  if (use_value) p = e->value;
  *p = 0;
}

/* Format string from the caller. */
void log_name(const char *name) {
  printf(name);
}

/* Uninitialised read. */
int pick(int flag) {
  int chosen;
  if (flag > 3) chosen = flag;
  return chosen;
}

/* File handle leak. */
long file_size(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  if (fseek(f, 0, SEEK_END) != 0) return -1;
  long n = ftell(f);
  fclose(f);
  return n;
}

/* Off-by-one write past a stack array. */
int checksum(const char *s) {
  int parts[8];
  for (int i = 0; i <= 8; i++) parts[i] = s[i];
  return parts[0] + parts[7];
}

/* Division by zero on an empty input. */
int average(const int *v, int n) {
  int sum = 0;
  for (int i = 0; i < n; i++) sum += v[i];
  if (n == 0) return sum / n;
  return sum / n;
}

/* Unbounded read into a fixed buffer. */
void read_name(struct entry *e) {
  char line[16];
  scanf("%s", line);
  memcpy(e->name, line, sizeof e->name);
}

/* Leak of a buffer built from user input, plus a copy without a bound. */
char *greeting(const char *who) {
  char *out = malloc(64);
  if (!out) return NULL;
  strcpy(out, "hello ");
  strcat(out, who);
  if (who[0] == '!') return NULL;
  return out;
}

int main(int argc, char **argv) {
  struct entry e = {{0}, NULL};
  if (argc > 1) set_name(&e, argv[1]);
  set_default_name(&e);
  load_value(&e, argc > 2 ? argv[2] : "x");
  log_name(argc > 1 ? argv[1] : "-");
  drop_value(&e);
  int v[2] = {1, 2};
  printf("%d %d %ld %d\n", pick(argc), average(v, argc - 1), file_size(argv[0]), checksum("abcdefgh"));
  read_name(&e);
  free(greeting(argv[0]));
  clear_first(&e, argc > 5);
  e.value = malloc(4);
  return (int)value_length_after_drop(&e);
}
