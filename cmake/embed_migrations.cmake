# Writes a C++ file holding every migration in INPUT_DIR, ordered by file name, as
#   const std::vector<parley::store::Migration>& SYMBOL();
file(GLOB files ${INPUT_DIR}/*.sql)
list(SORT files)
set(body "")
foreach(f ${files})
  get_filename_component(name ${f} NAME_WE)
  file(READ ${f} sql)
  string(APPEND body "    {\"${name}\", R\"parley_sql(${sql})parley_sql\"},\n")
endforeach()
file(WRITE ${OUTPUT}.tmp "// Generated from ${INPUT_DIR}; do not edit.\n#include \"store/migration.hpp\"\n\nnamespace parley::store {\nconst std::vector<Migration>& ${SYMBOL}() {\n  static const std::vector<Migration> all{\n${body}  };\n  return all;\n}\n}  // namespace parley::store\n")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
