#!/usr/bin/env node
/**
 * CDK entry: the stateful stack (tables and other data) and the stateless stack (functions,
 * API, saga), with cdk-nag's AwsSolutions pack as a gate: any unacknowledged finding fails synth.
 * The API's OpenAPI document is written beside the cloud assembly (cdk.out/openapi.json).
 */
import { buildApp } from '../lib/app';
import { writeOpenApiDocument } from '../lib/openapi/write';

const { app } = buildApp();
writeOpenApiDocument(app.outdir);
