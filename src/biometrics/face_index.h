// Exact 1:N search of face embeddings: the reference every approximate
// index is measured against.
//
// Promises:
//  - Add() keeps a copy of the embedding scaled to unit length, so scores
//    are cosine similarities in [-1, 1]; every embedding of an index has
//    the same dimension (an error otherwise, and for zero or non-finite
//    vectors).
//  - Search() compares the query with every stored embedding and returns
//    the `top` best, best first (ties by insertion order): exact, so the
//    same on any machine and any number of threads. Large indexes are
//    scanned on every core, in one pass over memory.
//  - Immutable once built: searches may run from several threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/status.h"

namespace vigil {

class FaceIndex {
 public:
  struct Hit {
    size_t id;     // the order of Add()
    float score;   // cosine similarity
  };

  Status Add(const std::vector<float>& embedding);
  std::vector<Hit> Search(const std::vector<float>& query, size_t top) const;

  size_t size() const { return dimension_ ? data_.size() / dimension_ : 0; }
  size_t dimension() const { return dimension_; }
  // The bytes one search reads.
  size_t bytes() const { return data_.size() * sizeof(float); }

 private:
  size_t dimension_ = 0;
  std::vector<float> data_;  // row-major, unit rows
};

}  // namespace vigil
