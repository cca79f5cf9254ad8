import { describe, expect, it } from 'vitest';
import { editorReducer, initialEditor } from './policyEditor';

const valid = { valid: true, errors: [], issues: [], diff: '+x' };
const invalid = { valid: false, errors: ['rules.0.models: Field required'], issues: [], diff: '' };

describe('editorReducer', () => {
  it('offers saving only the exact draft that validated', () => {
    let state = initialEditor('a: 1\n');
    state = editorReducer(state, { type: 'edit', draft: 'a: 2\n' });
    expect([state.dirty, state.canSave]).toEqual([true, false]);
    state = editorReducer(state, { type: 'checked', check: valid, draft: 'a: 2\n' });
    expect(state.canSave).toBe(true);
    state = editorReducer(state, { type: 'edit', draft: 'a: 3\n' });
    expect([state.canSave, state.check]).toEqual([false, null]);
  });

  it('ignores a verdict on a draft that changed meanwhile, and never saves an invalid one', () => {
    let state = editorReducer(initialEditor('a: 1\n'), { type: 'edit', draft: 'a: 2\n' });
    state = editorReducer(state, { type: 'checked', check: valid, draft: 'a: old\n' });
    expect([state.check, state.canSave]).toEqual([null, false]);
    state = editorReducer(state, { type: 'checked', check: invalid, draft: 'a: 2\n' });
    expect([state.check?.errors, state.canSave]).toEqual([['rules.0.models: Field required'], false]);
  });

  it('is not dirty once edited back, and resets', () => {
    let state = editorReducer(initialEditor('a: 1\n'), { type: 'edit', draft: 'a: 2\n' });
    state = editorReducer(state, { type: 'edit', draft: 'a: 1\n' });
    expect(state.dirty).toBe(false);
    expect(editorReducer(state, { type: 'reset', document: 'b: 1\n' })).toEqual(initialEditor('b: 1\n'));
  });
});
