import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('architecture', () => {
  // The snippets are not files of a tsconfig project, so lint them without type information.
  const eslint = new ESLint({
    cwd: root,
    overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
  });
  const importElectron = "import { app } from 'electron';\nexport const name = app.name;\n";

  it('refuses an electron import in pipeline code', async () => {
    for (const file of ['main/audio/x.ts', 'main/session/x.ts', 'shared/x.ts', 'renderer/src/x.ts']) {
      const [result] = await eslint.lintText(importElectron, { filePath: `${root}${file}` });
      expect(result!.messages.map((m) => m.ruleId), file).toContain('no-restricted-imports');
    }
  });

  it('allows it in the Electron wiring and the preload', async () => {
    for (const file of ['main/electron/x.ts', 'preload/x.ts']) {
      const [result] = await eslint.lintText(importElectron, { filePath: `${root}${file}` });
      expect(result!.messages.map((m) => m.ruleId), file).not.toContain('no-restricted-imports');
    }
  });
});
