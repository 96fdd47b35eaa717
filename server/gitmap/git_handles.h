// libgit2 ownership in one place: out-params are owned by us and freed with their type's free
// function (libgit2's conventions), getters borrow. Internal to gitmap/.
#pragma once

#include <git2.h>

#include <memory>
#include <string_view>

#include "gitmap/result.h"

namespace aspm::gitmap::detail {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const noexcept { Free(p); }
};

template <typename T, void (*Free)(T*)>
using Owned = std::unique_ptr<T, Deleter<T, Free>>;

using RepositoryPtr = Owned<git_repository, git_repository_free>;
using ObjectPtr = Owned<git_object, git_object_free>;
using CommitPtr = Owned<git_commit, git_commit_free>;
using TreePtr = Owned<git_tree, git_tree_free>;
using TreeEntryPtr = Owned<git_tree_entry, git_tree_entry_free>;
using BlobPtr = Owned<git_blob, git_blob_free>;
using IndexPtr = Owned<git_index, git_index_free>;
using DiffPtr = Owned<git_diff, git_diff_free>;
using BlamePtr = Owned<git_blame, git_blame_free>;

// Turns a libgit2 return code into an error value, copying git_error_last() immediately.
// Returns nullopt for success (code >= 0).
std::optional<GitError> check(int code, std::string_view operation);

// Keeps libgit2 initialised for the life of the process (git_libgit2_init is refcounted).
void ensureInitialised();

}  // namespace aspm::gitmap::detail
