#!/usr/bin/env node
// This repository's pipeline: the standard stages delivering examples/hello-api.
import '../src/cli/bin.ts';
