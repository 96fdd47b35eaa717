// aspm-ls: the language server executable (LSP over stdio).
int main() { return 0; }
