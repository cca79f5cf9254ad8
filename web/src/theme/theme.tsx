/** Fluent's light and dark themes, the user's choice kept in this browser (the system's by default). */
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';

export type ThemeName = 'light' | 'dark';
const STORAGE_KEY = 'ariane.theme';

interface ThemeChoice {
  theme: ThemeName;
  setTheme: (theme: ThemeName) => void;
}

const ThemeContext = createContext<ThemeChoice>({ theme: 'light', setTheme: () => undefined });

function initialTheme(): ThemeName {
  const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);
  if (stored === 'light' || stored === 'dark') return stored;
  return typeof window !== 'undefined' && window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function ThemeChoiceProvider({ children }: { children: (theme: ThemeName) => ReactNode }) {
  const [theme, setThemeState] = useState<ThemeName>(initialTheme);
  const setTheme = useCallback((next: ThemeName) => {
    localStorage.setItem(STORAGE_KEY, next);
    setThemeState(next);
  }, []);
  // Another tab changed it: follow.
  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key === STORAGE_KEY && (event.newValue === 'light' || event.newValue === 'dark')) setThemeState(event.newValue);
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);
  const value = useMemo(() => ({ theme, setTheme }), [theme, setTheme]);
  return <ThemeContext.Provider value={value}>{children(theme)}</ThemeContext.Provider>;
}

export function useThemeChoice(): ThemeChoice {
  return useContext(ThemeContext);
}
