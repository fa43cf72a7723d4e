// `npm pack` / `npm publish` run this first (package.json `prepack`). It needs no Rust: it checks
// that the build already put the engine where the package ships it (pkg/, see scripts/build.mjs),
// copying it from www/pkg/ when only that is there, and that the engine's version is the package's.
//
//   node scripts/pack-check.mjs

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyNpmLayout, NPM_PKG_FILES, npmPkgDir, pkgDir } from './build.mjs';
import { isMainModule, repoRoot, say } from './proc.mjs';

const hasAll = (dir) => NPM_PKG_FILES.every((name) => existsSync(join(dir, name)));

export async function checkPackage() {
  if (!hasAll(npmPkgDir)) {
    if (!hasAll(pkgDir)) {
      throw new Error('the engine is not built: run `npm run build` (needs Rust) before packing');
    }
    copyNpmLayout();
  }
  const { version: packageVersion } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  // Loads pkg/ exactly as an installed package would.
  const { version } = await import('../js/index.js');
  const engineVersion = await version();
  if (engineVersion !== packageVersion) {
    throw new Error(
      `pkg/ holds engine ${engineVersion} but package.json says ${packageVersion}: rebuild, or align the versions`,
    );
  }
  say(`pack check: pkg/ has engine ${engineVersion}`);
}

if (isMainModule(import.meta.url)) {
  try {
    await checkPackage();
  } catch (error) {
    console.error(`[shoplens] cannot pack: ${error.message}`);
    process.exit(1);
  }
}
