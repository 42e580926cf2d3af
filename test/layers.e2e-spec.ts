import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = process.cwd();

/** `npm run lint:layers`, run where CI runs the tests: an import that points up a layer, or a cycle, fails the build. */
describe('the import graph of src/', () => {
  it('has no cycle and no folder importing its own layer or one above it (.dependency-cruiser.cjs)', () => {
    const cruise = spawnSync(process.execPath, [join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'), 'src', '--config', '.dependency-cruiser.cjs'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    });
    // The cruiser's own report names every offending arrow.
    expect({ status: cruise.status, report: cruise.stdout + cruise.stderr }).toEqual({ status: 0, report: expect.stringContaining('no dependency violations found') });
  });
});
