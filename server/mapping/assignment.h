// Optimal assignment (Hungarian algorithm): when several findings compete for the same candidate
// lines (identical code in several places), choose the pairing with the highest total evidence
// instead of letting the first finding take the best line.
#pragma once

#include <cstdint>
#include <vector>

namespace aspm::mapping {

// scores[i][j] >= 0 is how well row i fits column j; a negative score forbids the pair. Returns,
// for each row, the assigned column or -1. Maximises the sum of scores over assigned pairs.
std::vector<int> assignMaxScore(const std::vector<std::vector<double>>& scores);

}  // namespace aspm::mapping
