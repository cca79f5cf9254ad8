import { useQuery } from '@tanstack/react-query';
import { SignInRequired } from '../api/client';
import { getAssistant } from './api';
import type { Assistant } from './types';

export type AssistantState = { assistant: Assistant | null; error: unknown };

/** The assistant `id` names (none: nothing to load), or the error that kept it from loading. */
export function useAssistant(id: string | null | undefined): AssistantState {
  const query = useQuery({
    queryKey: ['assistant', id],
    queryFn: () => getAssistant(id as string),
    enabled: Boolean(id),
  });
  if (!id) return { assistant: null, error: null };
  const error = query.error instanceof SignInRequired ? null : query.error;
  return { assistant: query.data ?? null, error };
}
