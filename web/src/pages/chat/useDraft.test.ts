import { act, renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useDraft } from './useDraft';

describe('the composer draft', () => {
  it('comes back after the page was left (a sign-in round trip) and is gone once sent', () => {
    const first = renderHook(() => useDraft('/chat/t1'));
    act(() => first.result.current[1]('Une question en cours'));
    first.unmount();

    const back = renderHook(() => useDraft('/chat/t1'));
    expect(back.result.current[0]).toBe('Une question en cours');
    act(() => back.result.current[1](''));
    back.unmount();

    expect(renderHook(() => useDraft('/chat/t1')).result.current[0]).toBe('');
  });

  it('is kept per conversation', () => {
    const { result, rerender } = renderHook(({ key }) => useDraft(key), { initialProps: { key: '/chat/t1' } });
    act(() => result.current[1]('Pour la première'));

    rerender({ key: '/chat/t2' });
    expect(result.current[0]).toBe('');
    act(() => result.current[1]((text) => `${text}Pour la seconde`));

    rerender({ key: '/chat/t1' });
    expect(result.current[0]).toBe('Pour la première');
    rerender({ key: '/chat/t2' });
    expect(result.current[0]).toBe('Pour la seconde');
  });
});
