/**
 * Locates DynamoDB Local inside the installed npm package amplify-dynamodb-simulator.
 * The jar's licence forbids redistributing it, so it is only ever used in place, never copied.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DynamoDbLocalJarNotFoundError } from './errors';

export interface DynamoDbLocalJar {
  /** DynamoDBLocal.jar */
  jar: string;
  /** DynamoDBLocal_lib/ (dependency jars and the sqlite4java native libraries) */
  libDir: string;
  /** Class path for java: the jar plus every jar in libDir. */
  classPath: string;
}

export function locateDynamoDbLocalJar(): DynamoDbLocalJar {
  let pkgJson: string;
  try {
    pkgJson = require.resolve('amplify-dynamodb-simulator/package.json');
  } catch (err) {
    throw new DynamoDbLocalJarNotFoundError((err as Error).message);
  }
  const emulator = path.join(path.dirname(pkgJson), 'emulator');
  const jar = path.join(emulator, 'DynamoDBLocal.jar');
  const libDir = path.join(emulator, 'DynamoDBLocal_lib');
  if (!fs.existsSync(jar) || !fs.existsSync(libDir)) throw new DynamoDbLocalJarNotFoundError(`no ${jar} or ${libDir}`);
  return { jar, libDir, classPath: [jar, path.join(libDir, '*')].join(path.delimiter) };
}
