/** The policy editor's state: a save is only offered for the exact draft that validated. */
import type { PolicyCheck } from './api';

export interface EditorState {
  original: string;
  draft: string;
  dirty: boolean;
  /** The last validation, for `checkedDraft`. */
  check: PolicyCheck | null;
  checkedDraft: string | null;
  canSave: boolean;
}

export type EditorAction =
  | { type: 'edit'; draft: string }
  | { type: 'checked'; check: PolicyCheck; draft: string }
  | { type: 'reset'; document: string };

export function initialEditor(document: string): EditorState {
  return { original: document, draft: document, dirty: false, check: null, checkedDraft: null, canSave: false };
}

export function editorReducer(state: EditorState, action: EditorAction): EditorState {
  switch (action.type) {
    case 'edit':
      // Any change invalidates the previous verdict: validate again before saving.
      return { ...state, draft: action.draft, dirty: action.draft !== state.original, check: null, canSave: false };
    case 'checked': {
      const current = action.draft === state.draft;
      return {
        ...state,
        check: current ? action.check : state.check,
        checkedDraft: current ? action.draft : state.checkedDraft,
        canSave: current && action.check.valid && state.dirty,
      };
    }
    case 'reset':
      return initialEditor(action.document);
  }
}
