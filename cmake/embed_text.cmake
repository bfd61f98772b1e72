# cmake -DINPUT=file -DOUTPUT=file.cpp -DSYMBOL=name -P embed_text.cmake
# Writes a C++ file defining `extern const std::string_view tsq::<SYMBOL>` with INPUT's bytes,
# as hex escapes so that any content (quotes, non-ASCII) survives.
file(READ ${INPUT} content HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "\\\\x\\1" escaped "${content}")
# Break the literal every 64 bytes to keep lines short for compilers and editors.
string(REGEX REPLACE "((\\\\x[0-9a-f][0-9a-f]){64})" "\\1\"\n\"" escaped "${escaped}")
file(WRITE ${OUTPUT} "// Generated from ${INPUT} by cmake/embed_text.cmake. Do not edit.\n"
  "#include <string_view>\nnamespace tsq {\nextern const std::string_view ${SYMBOL};\n"
  "const std::string_view ${SYMBOL} =\n\"${escaped}\";\n}  // namespace tsq\n")
