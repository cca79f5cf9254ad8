import { describe, expect, it } from 'vitest';
import { canCreateAssistants, draftFrom, emptyDraft, problems, toInput, toggle } from './draft';
import type { Assistant } from './types';

const COACH: Assistant = {
  id: 'coach-temps-de-travail',
  version: 3,
  name: 'Coach Temps de Travail',
  description: 'Vos questions de temps de travail.',
  instructions: 'Réponds brièvement.',
  data_class: 'internal',
  models: [],
  tools: ['knowledge'],
  workflows: ['knowledge_question'],
  knowledge: 'coach-temps-de-travail',
  contact: 'la cellule temps de travail',
  starter_prompts: ["Comment est compensé mon temps d'astreinte ?"],
  audience: { roles: [], services: ['DRH'] },
  builtin: true,
  author: null,
  created_at: '2026-11-28T10:00:00Z',
  updated_at: '2026-11-28T10:00:00Z',
  can_edit: true,
  issues: [],
};

describe('the assistant draft', () => {
  it('round-trips an assistant into the definition the API takes', () => {
    expect(toInput(draftFrom(COACH))).toEqual({
      name: 'Coach Temps de Travail',
      description: 'Vos questions de temps de travail.',
      instructions: 'Réponds brièvement.',
      data_class: 'internal',
      models: [],
      tools: ['knowledge'],
      workflows: ['knowledge_question'],
      contact: 'la cellule temps de travail',
      starter_prompts: ["Comment est compensé mon temps d'astreinte ?"],
      audience: { roles: [], services: ['DRH'] },
    });
  });

  it('reads starter prompts and services one per line, without blanks or repeats', () => {
    const draft = { ...emptyDraft(), name: ' Paie ', starterPrompts: 'A ?\n\n  B ?\nA ?\n', services: 'DRH\n DRH \n' };
    const input = toInput(draft);
    expect([input.name, input.starter_prompts, input.audience.services]).toEqual(['Paie', ['A ?', 'B ?'], ['DRH']]);
  });

  it('says what must be fixed before saving', () => {
    expect(problems(emptyDraft())).toEqual(['nameRequired']);
    const many = { ...emptyDraft(), name: 'X', starterPrompts: '1\n2\n3\n4\n5\n6\n7' };
    expect(problems(many)).toEqual(['tooManyPrompts']);
  });

  it('starts a new assistant on its own documents', () => {
    expect([emptyDraft().tools, emptyDraft().workflows]).toEqual([['knowledge'], ['knowledge_question']]);
  });

  it('keeps picked choices in the order they are offered', () => {
    const all = ['calendar', 'documents', 'meetings'];
    expect(toggle(['meetings'], 'calendar', true, all)).toEqual(['calendar', 'meetings']);
    expect(toggle(['calendar', 'meetings'], 'calendar', false, all)).toEqual(['meetings']);
  });

  it('lets staff, tool developers and AI administrators build assistants, not auditors', () => {
    expect([['staff'], ['tool_developer'], ['ai_admin'], ['auditor']].map(canCreateAssistants)).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });
});
