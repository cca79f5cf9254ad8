import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Badge,
  Button,
  Checkbox,
  Field,
  Input,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessageBar } from '../../components/ErrorMessageBar';
import { ROLES } from '../../roles';
import { type RegisteredTool, setPermissions } from './api';

const useStyles = makeStyles({
  schema: {
    margin: 0,
    maxHeight: '320px',
    overflow: 'auto',
    padding: tokens.spacingHorizontalS,
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    backgroundColor: tokens.colorNeutralBackground3,
    borderRadius: tokens.borderRadiusMedium,
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
  },
  hints: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  roles: { display: 'flex', flexWrap: 'wrap', columnGap: tokens.spacingHorizontalM },
});

// MCP's defaults when a server says nothing: not read-only, destructive, not idempotent, open-world.
const HINTS = [
  ['readOnlyHint', false],
  ['destructiveHint', true],
  ['idempotentHint', false],
  ['openWorldHint', true],
] as const;

/** What a reviewer reads before approving a tool: its schemas, its annotations; who may use it. */
export function ToolReview({
  server,
  tool,
  admin,
  onChanged,
}: {
  server: string;
  tool: RegisteredTool;
  admin: boolean;
  onChanged: () => void;
}) {
  const styles = useStyles();
  const { t } = useTranslation();
  return (
    <Accordion collapsible multiple>
      <AccordionItem value="schemas">
        <AccordionHeader size="small">{t('registry.review.schemas')}</AccordionHeader>
        <AccordionPanel>
          <Text weight="semibold">{t('registry.review.input')}</Text>
          <pre className={styles.schema} tabIndex={0}>
            {JSON.stringify(tool.input_schema, null, 2)}
          </pre>
          {tool.output_schema && (
            <>
              <Text weight="semibold">{t('registry.review.output')}</Text>
              <pre className={styles.schema} tabIndex={0}>
                {JSON.stringify(tool.output_schema, null, 2)}
              </pre>
            </>
          )}
        </AccordionPanel>
      </AccordionItem>
      <AccordionItem value="annotations">
        <AccordionHeader size="small">{t('registry.review.annotations')}</AccordionHeader>
        <AccordionPanel>
          <div className={styles.hints}>
            {HINTS.map(([hint, fallback]) => {
              const declared = typeof tool.annotations[hint] === 'boolean';
              const value = declared ? Boolean(tool.annotations[hint]) : fallback;
              return (
                <Badge key={hint} appearance={declared ? 'filled' : 'outline'} color={value ? 'brand' : 'informative'}>
                  {t(`registry.review.hints.${hint}`)} : {value ? t('registry.review.yes') : t('registry.review.no')}
                  {!declared && ` (${t('registry.review.default')})`}
                </Badge>
              );
            })}
          </div>
        </AccordionPanel>
      </AccordionItem>
      {admin && (
        <AccordionItem value="permissions">
          <AccordionHeader size="small">{t('registry.review.permissions')}</AccordionHeader>
          <AccordionPanel>
            <PermissionsForm server={server} tool={tool} onChanged={onChanged} />
          </AccordionPanel>
        </AccordionItem>
      )}
    </Accordion>
  );
}

function PermissionsForm({ server, tool, onChanged }: { server: string; tool: RegisteredTool; onChanged: () => void }) {
  const styles = useStyles();
  const { t } = useTranslation();
  const [roles, setRoles] = useState<string[]>(tool.roles);
  const [services, setServices] = useState(tool.services.join(', '));
  const [assistants, setAssistants] = useState(tool.assistants.join(', '));
  const [confirmation, setConfirmation] = useState(tool.confirmation);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const list = (text: string) => text.split(',').map((item) => item.trim()).filter(Boolean);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    try {
      await setPermissions(server, { tool: tool.name, roles, services: list(services), assistants: list(assistants), confirmation });
      setError(null);
      setSaved(true);
      onChanged();
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <form className={styles.form} onSubmit={(event) => void submit(event)} aria-label={t('registry.review.permissions')}>
      <fieldset className={styles.roles}>
        <legend>{t('registry.review.roles')}</legend>
        {ROLES.map((role) => (
          <Checkbox
            key={role}
            label={t(`assistants.roles.${role}`)}
            checked={roles.includes(role)}
            onChange={(_, data) => setRoles((current) => (data.checked ? [...current, role] : current.filter((r) => r !== role)))}
          />
        ))}
      </fieldset>
      <Field label={t('registry.review.services')} hint={t('registry.review.listHint')}>
        <Input value={services} onChange={(_, data) => setServices(data.value)} />
      </Field>
      <Field label={t('registry.review.assistants')} hint={t('registry.review.listHint')}>
        <Input value={assistants} onChange={(_, data) => setAssistants(data.value)} />
      </Field>
      <Checkbox
        label={t('registry.review.confirmation')}
        checked={confirmation}
        onChange={(_, data) => setConfirmation(Boolean(data.checked))}
      />
      <div>
        <Button type="submit" appearance="primary">
          {t('registry.review.save')}
        </Button>
      </div>
      {saved && <Text role="status">{t('registry.review.saved')}</Text>}
      {error !== null && <ErrorMessageBar error={error} />}
    </form>
  );
}
