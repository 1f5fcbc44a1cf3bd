#!/usr/bin/env node
/**
 * `dialtone-ops` as a program (out/main/ops.js, `npm run ops`): the command line (cli.ts) on this process's
 * arguments, environment and streams; its answer is the exit code.
 */
import { run } from './cli'

process.exitCode = await run(process.argv.slice(2), process.env, process)
