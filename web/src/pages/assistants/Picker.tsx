import { Badge, Checkbox, Field, makeStyles, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { toggle } from '../../assistants/draft';
import type { Option } from '../../assistants/types';

const useStyles = makeStyles({
  list: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  row: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
});

/** A list of checkboxes; `flagged` marks choices that policy no longer allows. */
export function Picker({
  label,
  hint,
  options,
  picked,
  flagged,
  onChange,
}: {
  label: string;
  hint?: string;
  options: readonly Option[];
  picked: readonly string[];
  flagged?: ReadonlySet<string>;
  onChange: (picked: string[]) => void;
}) {
  const styles = useStyles();
  const { t } = useTranslation();
  const all = options.map((option) => option.id);
  return (
    <Field label={label} hint={hint}>
      <div className={styles.list} role="group" aria-label={label}>
        {options.length === 0 && <span>{t('assistants.editor.noOption')}</span>}
        {options.map((option) => (
          <div key={option.id} className={styles.row}>
            <Checkbox
              label={option.label}
              checked={picked.includes(option.id)}
              onChange={(_, data) => onChange(toggle(picked, option.id, data.checked === true, all))}
            />
            {flagged?.has(option.id) && (
              <Badge appearance="filled" color="warning">
                {t('assistants.editor.notAllowed')}
              </Badge>
            )}
          </div>
        ))}
      </div>
    </Field>
  );
}
