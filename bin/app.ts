#!/usr/bin/env node
/**
 * CDK entry: the stateful stack (tables and other data) and the stateless stack (functions,
 * API, saga), with cdk-nag's AwsSolutions pack as a gate: any unacknowledged finding fails synth.
 */
import { buildApp } from '../lib/app';

buildApp();
