import { describe, expect, it } from 'vitest';
import { createI18n } from '../../i18n';
import { formatPath, issueProblems, syntaxProblems } from './policyLint';

const t = createI18n('fr').t;

const POLICY = [
  'providers:',
  '  local: {kind: openai}',
  'models:',
  '  - id: mistral',
  '    provider: local',
  'rules:',
  '  - id: everyone',
  '    models: [mistral, gpt-5]',
  '  - id: empty',
  '',
].join('\n');

describe('policy problems', () => {
  it('finds YAML syntax errors in the browser, at their line, in French', () => {
    const problems = syntaxProblems('rules:\n  - id: a\n    models: [x\n', t);
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) expect(problem.message).toMatch(/^Ligne \d+ : \p{Ll}.+\.$/u);
    expect(syntaxProblems('rules: []\nmodels: []\nrules: []\n', t).map((p) => [p.line, p.message])).toEqual([
      [3, 'Ligne 3 : clé déclarée deux fois dans le même objet.'],
    ]);
    expect(syntaxProblems(POLICY, t)).toEqual([]);
  });

  it("places the server's issues at the line their path designates", () => {
    const problems = issueProblems(
      POLICY,
      [
        // The server gives the line of the node too: the path still places it at the name itself.
        {
          path: ['rules', 0, 'models', 1],
          message: "la règle « everyone » cite le modèle « gpt-5 », qui n'existe pas dans le catalogue",
          line: 8,
        },
        { path: ['models', 0], message: 'model mistral: bad', line: null },
        // A missing field: the item that lacks it.
        { path: ['rules', 1, 'models'], message: 'champ obligatoire manquant', line: null },
        { path: [], message: 'YAML: could not parse', line: 3 },
        { path: [], message: 'somewhere', line: null },
      ],
      t,
    );
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [8, "rules[0].models[1] : la règle « everyone » cite le modèle « gpt-5 », qui n'existe pas dans le catalogue"],
      [4, 'models[0] : model mistral: bad'],
      [9, 'rules[1].models : champ obligatoire manquant'],
      [3, 'YAML: could not parse'],
      [1, 'somewhere'],
    ]);
    // The first one starts at the unknown name itself.
    const [first] = problems;
    expect(first && POLICY.slice(first.from, first.to)).toBe('gpt-5');
  });

  it('writes paths as they read', () => {
    expect(formatPath(['rules', 2, 'models'])).toBe('rules[2].models');
    expect(formatPath([])).toBe('');
  });
});
