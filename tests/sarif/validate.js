#!/usr/bin/env node
// Validates SARIF documents against the SARIF 2.1.0 JSON schema.
//
// Usage: node tests/sarif/validate.js FILE...
// Exit status: 0 when every file is valid, 1 when one is invalid, 2 when the
// schema or a file cannot be read (run scripts/setup to install the packages).
//
// The schema is "sarif-2.1.0-rtm.5.json", the SARIF 2.1.0 schema as
// SchemaStore publishes it, shipped by the npm package @microsoft/jest-sarif
// (version pinned in package-lock.json). It is written in JSON Schema
// draft-04, so it needs Ajv's draft-04 class.
"use strict";

const fs = require("fs");
const path = require("path");

function loadValidator() {
  let Ajv04;
  let addFormats;
  let schemaPath;
  try {
    Ajv04 = require("ajv-draft-04");
    addFormats = require("ajv-formats");
    schemaPath = require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
  } catch (error) {
    console.error(`validate.js: ${error.message}`);
    console.error("validate.js: the validator packages are missing; run scripts/setup (npm ci in tests/sarif)");
    process.exit(2);
  }
  const schema = JSON.parse(fs.readFileSync(schemaPath, "utf8"));
  // strict: false because Ajv's strict mode rejects parts of this schema
  // that draft-04 allows. unicodeRegExp: false because the schema's pattern
  // for "language" has a stray "]" that is a syntax error under the
  // RegExp "u" flag but a literal character without it.
  const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  try {
    return ajv.compile(schema);
  } catch (error) {
    console.error(`validate.js: cannot compile ${schemaPath}: ${error.message}`);
    process.exit(2);
  }
}

function main(files) {
  if (files.length === 0) {
    console.error("usage: node validate.js FILE...");
    return 2;
  }
  const validate = loadValidator();
  let status = 0;
  for (const file of files) {
    let document;
    try {
      document = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
      console.error(`${file}: cannot read or parse as JSON: ${error.message}`);
      return 2;
    }
    if (validate(document)) {
      console.log(`${path.basename(file)}: valid SARIF 2.1.0`);
      continue;
    }
    status = 1;
    for (const error of validate.errors) {
      console.error(`${file}: ${error.instancePath || "/"} ${error.message} ${JSON.stringify(error.params)}`);
    }
  }
  return status;
}

process.exit(main(process.argv.slice(2)));
