/** Logs of a documentation check shared by the signature tests. */

/** A YAML check run by rake: the line that names the file comes before the count of files that failed. */
export const yamlCheck = (file: string) => [
  '$ bundle exec rake',
  '/usr/bin/ruby tests/yaml.rb',
  `(${file}): found character that cannot start any token while scanning for the next token at line 8 column 1`,
  'FAILURE!!! 1 files were unable to be parsed!',
  'Please check the YAML headers for the documents that failed!',
  'Command failed with status (1): [/usr/bin/ruby tests/yaml.rb...]',
  'rake aborted!',
  'Failed 1 tests!!',
  '/home/travis/build/o/r/Rakefile:21:in `block in <top (required)>`',
  'Tasks: TOP => default',
  '(See full trace by running task with --trace)',
  'The command "bundle exec rake" exited with 1.',
];
