// Lint Cypher statements with Neo4j's own linter, as a plain Neo4j 5 server would see them.
//
// stdin:  JSON [{"name": "...", "file": "...", "text": "..."}, ...]
// stdout: JSON [{"name", "file", "diagnostics": [{"severity": "error"|"warning"|..., "message",
//          "line", "column"}]}] (line and column 1-based, within the statement)
//
// The function and procedure catalogue is the Neo4j 5 one that ships with the package (its test
// data), narrowed to what a Neo4j 5 server has without plugins: built-in functions and the
// db.*, dbms.* and tx.* procedures (db.index.fulltext.queryNodes among them). APOC and GDS are
// left out because we do not require them. Parameters are not declared ahead, so the linter's
// "Parameter $x is not defined" errors are dropped. A named query must be one statement: the
// driver sends it whole and servers reject `;`-separated statements.
import { isNotParamError, lintCypherQuery, parseStatementsStrs, testData } from '@neo4j-cypher/language-support';

const CYPHER_VERSION = 'CYPHER 5';
const SERVER_PROCEDURE_PREFIXES = ['db.', 'dbms.', 'tx.'];
const SEVERITY = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };

function neo4jCatalogue() {
  const functions = Object.fromEntries(
    Object.entries(testData.mockSchema.functions[CYPHER_VERSION]).filter(([, fn]) => fn.isBuiltIn),
  );
  const procedures = Object.fromEntries(
    Object.entries(testData.mockSchema.procedures[CYPHER_VERSION]).filter(([name]) =>
      SERVER_PROCEDURE_PREFIXES.some((prefix) => name.startsWith(prefix)),
    ),
  );
  return {
    functions: { [CYPHER_VERSION]: functions },
    procedures: { [CYPHER_VERSION]: procedures },
    defaultLanguage: CYPHER_VERSION,
  };
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

const schema = neo4jCatalogue();
const statements = JSON.parse(await readStdin());
const report = statements.map(({ name, file, text }) => {
  const diagnostics = lintCypherQuery(text, schema)
    .diagnostics.filter(isNotParamError)
    .map((d) => ({
      severity: SEVERITY[d.severity] ?? String(d.severity),
      message: d.message,
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
    }));
  const count = parseStatementsStrs(text).length;
  if (count !== 1) {
    diagnostics.push({ severity: 'error', message: `expected one statement, found ${count}`, line: 1, column: 1 });
  }
  return { name, file, diagnostics };
});
process.stdout.write(JSON.stringify(report, null, 1) + '\n');
