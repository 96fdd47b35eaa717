// Repository: the libgit2 calls behind gitmap's API, each wrapped so that an error becomes a
// GitError value naming the operation.
#include "gitmap/repository.h"

#include <algorithm>
#include <map>
#include <optional>

#include "gitmap/git_handles.h"
#include "support/file.h"

namespace aspm::gitmap {

namespace detail {

std::optional<GitError> check(int code, std::string_view operation) {
  if (code >= 0) return std::nullopt;
  GitError e;
  e.code = code;
  e.operation = std::string(operation);
  if (const git_error* last = git_error_last(); last && last->message) {
    e.klass = last->klass;
    e.message = last->message;
  } else {
    e.message = "libgit2 error " + std::to_string(code);
  }
  return e;
}

void ensureInitialised() {
  struct Library {
    Library() { git_libgit2_init(); }
    ~Library() { git_libgit2_shutdown(); }
  };
  static const Library library;
}

}  // namespace detail

using namespace detail;

struct Repository::Impl {
  RepositoryPtr repo;
  std::string workdir;
};

namespace {

std::string hexOf(const git_oid* oid) {
  char buf[GIT_OID_HEXSZ + 1] = {};
  git_oid_tostr(buf, sizeof buf, oid);
  return buf;
}

GitError ourError(std::string operation, std::string message) {
  GitError e;
  e.operation = std::move(operation);
  e.message = std::move(message);
  return e;
}

Result<CommitPtr> lookupCommit(git_repository* repo, std::string_view revision) {
  const std::string spec(revision);
  git_object* raw = nullptr;
  if (auto e = check(git_revparse_single(&raw, repo, spec.c_str()), "resolve revision " + spec)) return *e;
  ObjectPtr object(raw);
  git_object* peeled = nullptr;
  if (auto e = check(git_object_peel(&peeled, object.get(), GIT_OBJECT_COMMIT), "peel " + spec + " to a commit"))
    return *e;
  return CommitPtr(reinterpret_cast<git_commit*>(peeled));
}

Result<TreePtr> treeOf(git_repository* repo, std::string_view revision) {
  auto commit = lookupCommit(repo, revision);
  if (!commit) return commit.error();
  git_tree* tree = nullptr;
  if (auto e = check(git_commit_tree(&tree, commit.value().get()), "read tree of " + std::string(revision))) return *e;
  return TreePtr(tree);
}

Result<std::optional<std::string>> blobText(git_repository* repo, const git_oid* id, std::string_view what) {
  git_blob* raw = nullptr;
  if (auto e = check(git_blob_lookup(&raw, repo, id), "read blob of " + std::string(what))) return *e;
  BlobPtr blob(raw);
  const auto* data = static_cast<const char*>(git_blob_rawcontent(blob.get()));
  return std::optional<std::string>(std::string(data, static_cast<std::size_t>(git_blob_rawsize(blob.get()))));
}

PathChange::Kind kindOf(git_delta_t status) {
  switch (status) {
    case GIT_DELTA_ADDED:
    case GIT_DELTA_UNTRACKED: return PathChange::Kind::Added;
    case GIT_DELTA_DELETED: return PathChange::Kind::Deleted;
    case GIT_DELTA_RENAMED: return PathChange::Kind::Renamed;
    case GIT_DELTA_COPIED: return PathChange::Kind::Copied;
    case GIT_DELTA_TYPECHANGE: return PathChange::Kind::TypeChange;
    default: return PathChange::Kind::Modified;
  }
}

// Detect renames (and copies from modified files) by content, then list the deltas.
Result<std::vector<PathChange>> listChanges(git_diff* diff, bool untracked, std::string_view what) {
  git_diff_find_options find = GIT_DIFF_FIND_OPTIONS_INIT;
  find.flags = GIT_DIFF_FIND_RENAMES | GIT_DIFF_FIND_COPIES;
  if (untracked) find.flags |= GIT_DIFF_FIND_FOR_UNTRACKED;
  // Large refactorings touch thousands of files; git's own default limit (1000) would silently
  // stop detecting renames for them.
  find.rename_limit = 20000;
  if (auto e = check(git_diff_find_similar(diff, &find), "detect renames in " + std::string(what))) return *e;
  std::vector<PathChange> out;
  const std::size_t n = git_diff_num_deltas(diff);
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff, i);
    if (d->status == GIT_DELTA_UNMODIFIED || d->status == GIT_DELTA_IGNORED) continue;
    PathChange c;
    c.kind = kindOf(d->status);
    if (c.kind != PathChange::Kind::Added && d->old_file.path) c.oldPath = d->old_file.path;
    if (c.kind != PathChange::Kind::Deleted && d->new_file.path) c.newPath = d->new_file.path;
    c.similarity = d->similarity;
    out.push_back(std::move(c));
  }
  return out;
}

int collectHunk(const git_diff_delta*, const git_diff_hunk* hunk, void* payload) {
  auto* hunks = static_cast<std::vector<Hunk>*>(payload);
  hunks->push_back(Hunk{static_cast<std::uint32_t>(hunk->old_start), static_cast<std::uint32_t>(hunk->old_lines),
                        static_cast<std::uint32_t>(hunk->new_start), static_cast<std::uint32_t>(hunk->new_lines)});
  return 0;
}

}  // namespace

Repository::Repository(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Repository::~Repository() = default;
Repository::Repository(Repository&&) noexcept = default;
Repository& Repository::operator=(Repository&&) noexcept = default;

Result<Repository> Repository::open(const std::string& path) {
  ensureInitialised();
  git_repository* raw = nullptr;
  if (auto e = check(git_repository_open_ext(&raw, path.c_str(), 0, nullptr), "open repository at " + path))
    return *e;
  auto impl = std::make_unique<Impl>();
  impl->repo.reset(raw);
  if (const char* wd = git_repository_workdir(raw)) impl->workdir = wd;
  return Repository(std::move(impl));
}

const std::string& Repository::workdir() const noexcept { return impl_->workdir; }
bool Repository::isShallow() const noexcept { return git_repository_is_shallow(impl_->repo.get()) == 1; }

Result<std::string> Repository::resolveCommit(std::string_view revision) const {
  auto commit = lookupCommit(impl_->repo.get(), revision);
  if (!commit) return commit.error();
  return hexOf(git_commit_id(commit.value().get()));
}

namespace {

Result<std::optional<std::string>> fileInTree(git_repository* repo, git_tree* tree, std::string_view commit,
                                              std::string_view path) {
  git_tree_entry* raw = nullptr;
  const std::string p(path);
  const int rc = git_tree_entry_bypath(&raw, tree, p.c_str());
  if (rc == GIT_ENOTFOUND) return std::optional<std::string>();
  if (auto e = check(rc, "find " + p + " in " + std::string(commit))) return *e;
  TreeEntryPtr entry(raw);
  if (git_tree_entry_type(entry.get()) != GIT_OBJECT_BLOB) return std::optional<std::string>();
  return blobText(repo, git_tree_entry_id(entry.get()), p);
}

}  // namespace

Result<std::optional<std::string>> Repository::fileAtCommit(std::string_view commit, std::string_view path) const {
  auto tree = treeOf(impl_->repo.get(), commit);
  if (!tree) return tree.error();
  return fileInTree(impl_->repo.get(), tree.value().get(), commit, path);
}

std::vector<Result<std::optional<std::string>>> Repository::filesAtCommit(std::string_view commit,
                                                                          const std::vector<std::string>& paths) const {
  std::vector<Result<std::optional<std::string>>> out;
  out.reserve(paths.size());
  auto tree = treeOf(impl_->repo.get(), commit);
  for (const auto& p : paths) {
    if (!tree)
      out.emplace_back(tree.error());
    else
      out.push_back(fileInTree(impl_->repo.get(), tree.value().get(), commit, p));
  }
  return out;
}

Result<std::optional<std::string>> Repository::fileInIndex(std::string_view path) const {
  git_index* raw = nullptr;
  if (auto e = check(git_repository_index(&raw, impl_->repo.get()), "open index")) return *e;
  IndexPtr index(raw);
  const std::string p(path);
  const git_index_entry* entry = git_index_get_bypath(index.get(), p.c_str(), 0);
  if (!entry) return std::optional<std::string>();
  return blobText(impl_->repo.get(), &entry->id, p);
}

std::optional<std::string> Repository::fileInWorkdir(std::string_view path) const {
  if (impl_->workdir.empty()) return std::nullopt;
  return support::readFile(impl_->workdir + std::string(path));
}

Result<std::vector<PathChange>> Repository::changesBetween(std::string_view from, std::string_view to) const {
  auto a = treeOf(impl_->repo.get(), from);
  if (!a) return a.error();
  auto b = treeOf(impl_->repo.get(), to);
  if (!b) return b.error();
  git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
  git_diff* raw = nullptr;
  const std::string what = std::string(from) + ".." + std::string(to);
  if (auto e = check(git_diff_tree_to_tree(&raw, impl_->repo.get(), a.value().get(), b.value().get(), &opts),
                     "diff " + what))
    return *e;
  DiffPtr diff(raw);
  return listChanges(diff.get(), false, what);
}

Result<std::vector<PathChange>> Repository::changesToIndex() const {
  auto head = treeOf(impl_->repo.get(), "HEAD");
  if (!head) return head.error();
  git_index* rawIndex = nullptr;
  if (auto e = check(git_repository_index(&rawIndex, impl_->repo.get()), "open index")) return *e;
  IndexPtr index(rawIndex);
  git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
  git_diff* raw = nullptr;
  if (auto e = check(git_diff_tree_to_index(&raw, impl_->repo.get(), head.value().get(), index.get(), &opts),
                     "diff HEAD..index"))
    return *e;
  DiffPtr diff(raw);
  return listChanges(diff.get(), false, "HEAD..index");
}

Result<std::vector<PathChange>> Repository::changesToWorkdir() const {
  if (impl_->workdir.empty()) return std::vector<PathChange>{};
  git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
  opts.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS;
  git_diff* raw = nullptr;
  if (auto e = check(git_diff_index_to_workdir(&raw, impl_->repo.get(), nullptr, &opts), "diff index..worktree"))
    return *e;
  DiffPtr diff(raw);
  return listChanges(diff.get(), true, "index..worktree");
}

Result<std::vector<BlameLine>> Repository::blame(std::string_view path, std::uint32_t first, std::uint32_t last,
                                                 const std::string* content) const {
  git_blame_options opts = GIT_BLAME_OPTIONS_INIT;
  const std::string p(path);
  // libgit2 clamps out-of-range lines to the last hunk; count the lines to refuse them instead.
  std::optional<std::string> headText;
  if (!content) {
    auto text = fileAtCommit("HEAD", p);
    if (!text) return text.error();
    headText = std::move(text).value();
    if (!headText) return ourError("blame " + p, "not in HEAD");
  }
  const std::string& blamed = content ? *content : *headText;
  const auto lineCount = static_cast<std::uint32_t>(std::count(blamed.begin(), blamed.end(), '\n') +
                                                    (!blamed.empty() && blamed.back() != '\n' ? 1 : 0));
  last = std::min(last, lineCount);
  if (!content) {
    opts.min_line = first;
    opts.max_line = last;
  }
  git_blame* raw = nullptr;
  if (auto e = check(git_blame_file(&raw, impl_->repo.get(), p.c_str(), &opts), "blame " + p)) return *e;
  BlamePtr blame(raw);
  if (content) {
    git_blame* rawBuffer = nullptr;
    if (auto e = check(git_blame_buffer(&rawBuffer, blame.get(), content->data(), content->size()),
                       "blame unsaved content of " + p))
      return *e;
    blame.reset(rawBuffer);
  }
  std::vector<BlameLine> out;
  for (std::uint32_t line = first; line <= last; ++line) {
    const git_blame_hunk* hunk = git_blame_get_hunk_byline(blame.get(), line);
    if (!hunk) break;
    BlameLine b;
    b.line = line;
    b.commit = hexOf(&hunk->final_commit_id);
    if (hunk->final_signature && b.committed()) {
      if (hunk->final_signature->name) b.authorName = hunk->final_signature->name;
      if (hunk->final_signature->email) b.authorEmail = hunk->final_signature->email;
      b.time = hunk->final_signature->when.time;
    }
    out.push_back(std::move(b));
  }
  if (out.empty())
    return ourError("blame " + p, "lines " + std::to_string(first) + "-" + std::to_string(last) + " are past the end of the file");
  return out;
}

Result<LineMap> diffLines(std::string_view oldContent, std::string_view newContent) {
  ensureInitialised();
  if (oldContent == newContent) return LineMap();
  git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
  opts.context_lines = 0;
  opts.interhunk_lines = 0;
  opts.flags = GIT_DIFF_PATIENCE | GIT_DIFF_FORCE_TEXT;
  std::vector<Hunk> hunks;
  if (auto e = check(git_diff_buffers(oldContent.data(), oldContent.size(), "old", newContent.data(), newContent.size(),
                                      "new", &opts, nullptr, nullptr, collectHunk, nullptr, &hunks),
                     "diff contents"))
    return *e;
  return LineMap(std::move(hunks));
}

std::optional<BlameLine> ownerOf(const std::vector<BlameLine>& lines) {
  std::map<std::string, std::pair<int, const BlameLine*>> byAuthor;
  for (const auto& l : lines) {
    if (!l.committed()) continue;
    auto& [count, latest] = byAuthor[l.authorEmail.empty() ? l.authorName : l.authorEmail];
    ++count;
    if (!latest || l.time > latest->time) latest = &l;
  }
  const BlameLine* best = nullptr;
  int bestCount = 0;
  for (const auto& [author, entry] : byAuthor) {
    if (entry.first > bestCount || (entry.first == bestCount && best && entry.second->time > best->time)) {
      best = entry.second;
      bestCount = entry.first;
    }
  }
  if (!best) return std::nullopt;
  return *best;
}

}  // namespace aspm::gitmap
