#include "io/byte_source.h"

#include <string>

#include <gtest/gtest.h>

#include "io/io_test_util.h"

namespace tsq {
namespace {

using testing::GzipMember;
using testing::TempDir;
using testing::ZstdFrame;

// Reads the whole text `cap` bytes at a time.
Result<std::string> ReadAll(const std::string& path, size_t cap) {
  auto src = ByteSource::Open(path);
  if (!src) return std::move(src).error();
  std::string out;
  std::string buf(cap, '\0');
  for (;;) {
    auto n = (*src)->Read(buf.data(), cap);
    if (!n) return std::move(n).error();
    if (*n == 0) break;
    out.append(buf.data(), *n);
  }
  EXPECT_EQ((*src)->text_bytes(), out.size());
  EXPECT_EQ((*src)->consumed_bytes(), (*src)->size_bytes());
  return out;
}

std::string Sample(int rows) {
  std::string s = "start_time,caller\n";
  for (int i = 0; i < rows; ++i)
    s += "2022-07-01 08:15:03,138" + std::to_string(10000000 + i) + "\n";
  return s;
}

TEST(ByteSource, PlainFile) {
  TempDir dir;
  const std::string text = Sample(1000);
  const std::string path = dir.Write("calls.csv", text);
  for (size_t cap : {1, 7, 4096, 1 << 20}) {
    auto got = ReadAll(path, cap);
    ASSERT_TRUE(got) << got.error().Debug();
    EXPECT_EQ(*got, text);
  }
}

TEST(ByteSource, GzipOfSeveralMembersIsOneStream) {
  TempDir dir;
  const std::string a = Sample(3000);
  const std::string b = "tail,line\n";
  const std::string path =
      dir.Write("calls.csv.gz", GzipMember(a) + GzipMember("") + GzipMember(b));
  for (size_t cap : {3, 4096, 1 << 20}) {
    auto got = ReadAll(path, cap);
    ASSERT_TRUE(got) << got.error().Debug();
    EXPECT_EQ(*got, a + b);
  }
}

TEST(ByteSource, ZstdOfSeveralFramesIsOneStream) {
  TempDir dir;
  const std::string a = Sample(3000);
  const std::string b = "tail,line\n";
  const std::string path = dir.Write("calls.csv.zst", ZstdFrame(a) + ZstdFrame(b) + ZstdFrame(""));
  for (size_t cap : {3, 4096, 1 << 20}) {
    auto got = ReadAll(path, cap);
    ASSERT_TRUE(got) << got.error().Debug();
    EXPECT_EQ(*got, a + b);
  }
}

// SHA-256 of the file's bytes, the way sha256sum computes it.
std::string DigestOf(std::string_view bytes) {
  Sha256 h;
  h.Update(bytes);
  return h.HexDigest();
}

TEST(ByteSource, DigestIsOfTheFileOnDiskWhateverTheCodec) {
  TempDir dir;
  const std::string text = Sample(2000);
  const std::string gz = GzipMember(text);
  struct Case {
    std::string path;
    std::string bytes;
  };
  const Case cases[] = {{dir.Write("a.csv", text), text},
                        {dir.Write("a.csv.gz", gz), gz},
                        {dir.Write("a.csv.zst", ZstdFrame(text)), ZstdFrame(text)}};
  for (const Case& c : cases) {
    auto src = ByteSource::Open(c.path, /*digest=*/true);
    ASSERT_TRUE(src) << src.error().Debug();
    std::string buf(4096, '\0');
    for (;;) {
      auto n = (*src)->Read(buf.data(), buf.size());
      if (!n || *n == 0) break;
    }
    auto digest = (*src)->FinishDigest();
    ASSERT_TRUE(digest) << digest.error().Debug();
    EXPECT_EQ(*digest, DigestOf(c.bytes)) << c.path;
  }
  EXPECT_EQ(DigestOf(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(ByteSource, TruncatedCompressedStreamsAreFatalAndNameTheFile) {
  TempDir dir;
  const std::string text = Sample(5000);
  const std::string gz = GzipMember(text);
  const std::string zst = ZstdFrame(text);
  struct Case {
    std::string name;
    std::string bytes;
  };
  const Case cases[] = {
      {"cut.csv.gz", gz.substr(0, gz.size() / 2)},
      {"cut_trailer.csv.gz", gz.substr(0, gz.size() - 3)},
      {"second_cut.csv.gz", gz + gz.substr(0, 20)},
      {"cut.csv.zst", zst.substr(0, zst.size() / 2)},
      {"cut_end.csv.zst", zst.substr(0, zst.size() - 1)},
      {"second_cut.csv.zst", zst + zst.substr(0, 9)},
      {"empty.csv.gz", ""},
      {"empty.csv.zst", ""},
  };
  for (const Case& c : cases) {
    const std::string path = dir.Write(c.name, c.bytes);
    auto got = ReadAll(path, 1 << 16);
    ASSERT_FALSE(got) << c.name;
    EXPECT_EQ(got.error().code, ErrorCode::kCorrupt) << c.name;
    EXPECT_NE(got.error().message.find(path + ": truncated or corrupt"), std::string::npos)
        << got.error().message;
  }
}

TEST(ByteSource, CorruptCompressedDataIsFatal) {
  TempDir dir;
  std::string gz = GzipMember(Sample(5000));
  gz[gz.size() / 2] = static_cast<char>(gz[gz.size() / 2] ^ 0x55);
  auto got = ReadAll(dir.Write("bad.csv.gz", gz), 1 << 16);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, ErrorCode::kCorrupt);
  // Plain text named .gz is not a gzip stream.
  got = ReadAll(dir.Write("plain.csv.gz", Sample(10)), 1 << 16);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, ErrorCode::kCorrupt);
}

TEST(ByteSource, BinaryFilesAreNotText) {
  TempDir dir;
  std::string binary = "a,b\n1,2\n";
  binary += std::string("\x00\x01\x02", 3);
  const std::string p1 = dir.Write("calls.csv", binary);
  auto got = ReadAll(p1, 1 << 16);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, ErrorCode::kCorrupt);
  EXPECT_EQ(got.error().message.rfind(p1 + ": not a text file", 0), 0u) << got.error().message;
  // Compressed data under a plain name.
  for (const std::string& bytes : {GzipMember(Sample(10)), ZstdFrame(Sample(10))}) {
    const std::string p2 = dir.Write("misnamed.csv", bytes);
    got = ReadAll(p2, 1 << 16);
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().code, ErrorCode::kCorrupt);
    EXPECT_EQ(got.error().message.rfind(p2 + ": not a text file", 0), 0u) << got.error().message;
  }
}

TEST(ByteSource, MissingFileAndDirectory) {
  TempDir dir;
  auto src = ByteSource::Open(dir.path() + "/nope.csv");
  ASSERT_FALSE(src);
  EXPECT_EQ(src.error().code, ErrorCode::kNotFound);
  EXPECT_NE(src.error().message.find("nope.csv"), std::string::npos);
  src = ByteSource::Open(dir.path());
  ASSERT_FALSE(src);
  EXPECT_EQ(src.error().code, ErrorCode::kIo);
}

}  // namespace
}  // namespace tsq
