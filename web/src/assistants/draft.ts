/** The editor's draft of an assistant: text fields as typed, turned into a definition to save. */
import type { Assistant, AssistantInput, DataClass } from './types';

export interface Draft {
  name: string;
  description: string;
  instructions: string;
  dataClass: DataClass;
  models: string[];
  tools: string[];
  workflows: string[];
  contact: string;
  /** One suggestion per line. */
  starterPrompts: string;
  roles: string[];
  /** One service per line. */
  services: string;
}

export const MAX_STARTER_PROMPTS = 6;

/** A new assistant answers from its own documents, as the HR unit's coach does. */
export function emptyDraft(): Draft {
  return {
    name: '',
    description: '',
    instructions: '',
    dataClass: 'internal',
    models: [],
    tools: ['knowledge'],
    workflows: ['knowledge_question'],
    contact: '',
    starterPrompts: '',
    roles: [],
    services: '',
  };
}

export function draftFrom(assistant: Assistant): Draft {
  return {
    name: assistant.name,
    description: assistant.description,
    instructions: assistant.instructions,
    dataClass: assistant.data_class,
    models: [...assistant.models],
    tools: [...assistant.tools],
    workflows: [...assistant.workflows],
    contact: assistant.contact,
    starterPrompts: assistant.starter_prompts.join('\n'),
    roles: [...assistant.audience.roles],
    services: assistant.audience.services.join('\n'),
  };
}

export function lines(text: string): string[] {
  return [...new Set(text.split('\n').map((line) => line.trim()).filter(Boolean))];
}

export function toInput(draft: Draft): AssistantInput {
  return {
    name: draft.name.trim(),
    description: draft.description.trim(),
    instructions: draft.instructions.trim(),
    data_class: draft.dataClass,
    models: draft.models,
    tools: draft.tools,
    workflows: draft.workflows,
    contact: draft.contact.trim(),
    starter_prompts: lines(draft.starterPrompts),
    audience: { roles: draft.roles, services: lines(draft.services) },
  };
}

export type DraftProblem = 'nameRequired' | 'tooManyPrompts';

/** What must be fixed before saving (the server checks the same, and more). */
export function problems(draft: Draft): DraftProblem[] {
  const found: DraftProblem[] = [];
  if (!draft.name.trim()) found.push('nameRequired');
  if (lines(draft.starterPrompts).length > MAX_STARTER_PROMPTS) found.push('tooManyPrompts');
  return found;
}

/** Add or remove `value` from a picked list, keeping the order of `all`. */
export function toggle(list: readonly string[], value: string, on: boolean, all: readonly string[] = []): string[] {
  const next = on ? [...new Set([...list, value])] : list.filter((item) => item !== value);
  if (all.length === 0) return next;
  return [...next].sort((a, b) => rank(all, a) - rank(all, b));
}

function rank(all: readonly string[], value: string): number {
  const index = all.indexOf(value);
  return index === -1 ? all.length : index;
}

/** Who may build assistants (the server enforces the same rule). */
export function canCreateAssistants(roles: readonly string[]): boolean {
  return roles.some((role) => role === 'staff' || role === 'tool_developer' || role === 'ai_admin');
}
