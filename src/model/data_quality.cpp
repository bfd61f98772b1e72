#include "model/data_quality.h"

namespace tsq {

uint64_t DataQuality::TotalRead() const {
  uint64_t n = 0;
  for (const FileQuality& f : files) n += f.read.rows_read;
  return n;
}

uint64_t DataQuality::TotalAccepted() const {
  uint64_t n = 0;
  for (const FileQuality& f : files) n += f.read.rows_accepted;
  return n;
}

uint64_t DataQuality::TotalQuarantined() const {
  uint64_t n = 0;
  for (const FileQuality& f : files) n += f.read.rows_quarantined;
  return n;
}

}  // namespace tsq
