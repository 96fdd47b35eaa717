// Placeholder translation unit; replaced by the module's real sources.
namespace aspm::lsp {}
