// Hungarian algorithm (Kuhn-Munkres with potentials, O(n^2 m)) on a square cost matrix built
// from the scores; forbidden pairs cost more than any allowed one so they are only used as
// padding and then dropped.
#include "mapping/assignment.h"

#include <algorithm>
#include <limits>

namespace aspm::mapping {

std::vector<int> assignMaxScore(const std::vector<std::vector<double>>& scores) {
  const std::size_t rows = scores.size();
  std::size_t cols = 0;
  double maxScore = 0;
  for (const auto& r : scores) {
    cols = std::max(cols, r.size());
    for (const double s : r) maxScore = std::max(maxScore, s);
  }
  std::vector<int> out(rows, -1);
  if (rows == 0 || cols == 0) return out;
  const std::size_t n = std::max(rows, cols);
  const double forbidden = (maxScore + 1) * static_cast<double>(n + 1) * 4;
  // cost[i][j] (1-based) = maxScore - score, so minimising cost maximises score.
  auto cost = [&](std::size_t i, std::size_t j) -> double {
    if (i > rows || j > cols) return forbidden;
    const auto& r = scores[i - 1];
    if (j > r.size() || r[j - 1] < 0) return forbidden;
    return maxScore - r[j - 1];
  };
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> u(n + 1, 0), v(n + 1, 0);
  std::vector<std::size_t> p(n + 1, 0), way(n + 1, 0);
  for (std::size_t i = 1; i <= n; ++i) {
    p[0] = i;
    std::size_t j0 = 0;
    std::vector<double> minv(n + 1, inf);
    std::vector<bool> used(n + 1, false);
    do {
      used[j0] = true;
      const std::size_t i0 = p[j0];
      double delta = inf;
      std::size_t j1 = 0;
      for (std::size_t j = 1; j <= n; ++j) {
        if (used[j]) continue;
        const double cur = cost(i0, j) - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (std::size_t j = 0; j <= n; ++j) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] != 0);
    do {
      const std::size_t j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 != 0);
  }
  for (std::size_t j = 1; j <= n; ++j) {
    const std::size_t i = p[j];
    if (i == 0 || i > rows || j > cols) continue;
    const auto& r = scores[i - 1];
    if (j <= r.size() && r[j - 1] >= 0) out[i - 1] = static_cast<int>(j - 1);
  }
  return out;
}

}  // namespace aspm::mapping
