import { Badge, Checkbox, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { toggle } from '../../assistants/draft';
import type { Option } from '../../assistants/types';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  list: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  hint: { color: tokens.colorNeutralForeground3 },
  row: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
});

/**
 * A group of checkboxes; `flagged` marks choices that policy no longer allows. Not a Fluent Field:
 * a Field gives its one control id to every checkbox, which breaks their labels.
 */
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
  const id = useId();
  return (
    <div className={styles.root}>
      <Text id={id} weight="semibold">
        {label}
      </Text>
      {hint && (
        <Text size={200} className={styles.hint}>
          {hint}
        </Text>
      )}
      <div className={styles.list} role="group" aria-labelledby={id}>
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
    </div>
  );
}
