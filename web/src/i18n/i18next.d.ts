import 'i18next';
import type fr from './fr.json';

// Type-checks every t('key'): a key missing from fr.json fails `npm run build`.
declare module 'i18next' {
  interface CustomTypeOptions {
    resources: { translation: typeof fr };
  }
}
