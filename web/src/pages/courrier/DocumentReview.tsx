import {
  Badge,
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Radio,
  RadioGroup,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import {
  type Candidate,
  FIELD_NAMES,
  IN_PROGRESS,
  type IntakeDetail,
  LOW_CONFIDENCE,
  decide,
  getDocument,
  pageImage,
  retry,
  searchPatients,
} from './api';
import { DocumentHistory } from './DocumentHistory';

const useStyles = makeStyles({
  root: { display: 'grid', gridTemplateColumns: 'minmax(320px, 1fr) minmax(320px, 1fr)', gap: tokens.spacingHorizontalL },
  scan: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, overflow: 'auto', maxHeight: '78vh' },
  page: { width: '100%', border: `1px solid ${tokens.colorNeutralStroke1}`, boxShadow: tokens.shadow4 },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  low: { backgroundColor: tokens.colorPaletteYellowBackground2 },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
  error: { color: tokens.colorPaletteRedForeground1 },
});

const percent = (value: number) => `${Math.round(value * 100)} %`;
const frenchDate = (iso: string) => iso.split('-').reverse().join('/');

/** One document: the scan beside its fields, the candidate stays, accept / correct / reject. */
export function DocumentReview({ id, onDecided }: { id: string; onDecided: (detail: IntakeDetail) => void }) {
  const styles = useStyles();
  const { t } = useTranslation();
  const [detail, setDetail] = useState<IntakeDetail | null>(null);
  const [pages, setPages] = useState<string[]>([]);
  const [values, setValues] = useState<Record<string, string>>({});
  const [choice, setChoice] = useState<string>('');
  const [reason, setReason] = useState('');
  const [rejecting, setRejecting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<Candidate[] | null>(null);

  const load = useCallback(async () => {
    const loaded = await getDocument(id);
    setDetail(loaded);
    return loaded;
  }, [id]);

  // The page keys this component by document: a new document starts from fresh state.
  useEffect(() => {
    getDocument(id)
      .then((loaded) => {
        setDetail(loaded);
        setValues(Object.fromEntries(Object.entries(loaded.fields).map(([name, field]) => [name, field.value])));
        const match = loaded.match;
        setChoice(match?.ipp && match.nda ? `${match.ipp}|${match.nda}` : '');
      })
      .catch((failure: unknown) => setError(failure instanceof ApiError ? (failure.detail ?? failure.code) : String(failure)));
  }, [id]);

  useEffect(() => {
    if (!detail?.page_count) return;
    let urls: string[] = [];
    const numbers = Array.from({ length: detail.page_count }, (_, index) => index + 1);
    Promise.all(numbers.map((number) => pageImage(id, number))).then(
      (loaded) => {
        urls = loaded;
        setPages(loaded);
      },
      () => setPages([]),
    );
    return () => urls.forEach((url) => URL.revokeObjectURL(url));
  }, [id, detail?.page_count]);

  // While the document moves on (integration after a decision), read it again until it settles.
  useEffect(() => {
    if (!detail || !IN_PROGRESS.includes(detail.status)) return;
    const timer = setTimeout(() => {
      load().then((loaded) => {
        if (loaded.status === 'integrated') onDecided(loaded);
      }, () => undefined);
    }, 1000);
    return () => clearTimeout(timer);
  }, [detail, load, onDecided]);

  const options = useMemo(() => {
    const candidates = [...(detail?.match?.candidates ?? [])];
    for (const patient of found ?? []) if (!candidates.some((c) => c.ipp === patient.ipp)) candidates.push(patient);
    return candidates.flatMap((candidate) =>
      candidate.stays.map((stay) => ({ key: `${candidate.ipp}|${stay.nda}`, candidate, stay })),
    );
  }, [detail, found]);

  const search = async () => {
    if (!query.trim()) return;
    try {
      setFound(await searchPatients(query));
    } catch (failure) {
      setError(failure instanceof ApiError ? (failure.detail ?? failure.code) : String(failure));
    }
  };

  const submit = async (action: 'accept' | 'reject') => {
    if (!detail) return;
    setBusy(true);
    setError(null);
    try {
      const [ipp, nda] = choice.split('|');
      const corrected = Object.fromEntries(
        Object.entries(values).filter(([name, value]) => value.trim() && value !== detail.fields[name]?.value),
      );
      const decided = await decide(
        detail.id,
        action === 'accept' ? { action, ipp, nda, fields: corrected } : { action, reason: reason || undefined },
      );
      setDetail(decided);
      if (decided.status === 'rejected') onDecided(decided);
    } catch (failure) {
      setError(failure instanceof ApiError ? (failure.detail ?? failure.code) : String(failure));
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && detail?.status === 'to_validate' && choice) {
      event.preventDefault();
      void submit('accept');
    }
  };

  if (error && !detail) return <Text role="alert" className={styles.error}>{error}</Text>;
  if (!detail) return <Spinner label={t('intake.loading')} />;
  const waiting = detail.status === 'to_validate';

  return (
    <div className={styles.root} onKeyDown={onKeyDown} data-testid="intake-review" data-status={detail.status}>
      <div className={styles.scan} aria-label={t('intake.scan')}>
        {pages.map((url, index) => (
          <img key={url} src={url} className={styles.page} alt={t('intake.page', { number: index + 1 })} />
        ))}
        {!pages.length && detail.page_count ? <Spinner size="small" /> : null}
      </div>
      <div className={styles.form}>
        <Text as="h2" size={500} weight="semibold">
          {detail.file_name}
        </Text>
        <div className={styles.actions}>
          <Badge appearance="tint" color={detail.status === 'integrated' ? 'success' : waiting ? 'warning' : 'informative'}>
            {t(`intake.status.${detail.status}`)}
          </Badge>
          {detail.confidence !== null && (
            <Text size={200}>{t('intake.confidence', { value: percent(detail.confidence), threshold: percent(detail.threshold) })}</Text>
          )}
        </div>
        {waiting && detail.match?.exception && (
          <MessageBar intent="warning">
            <MessageBarBody>{t(`intake.exception.${detail.match.exception}`, { defaultValue: detail.match.detail })}</MessageBarBody>
          </MessageBar>
        )}
        {detail.error && (
          <MessageBar intent="error">
            <MessageBarBody>{detail.error}</MessageBarBody>
          </MessageBar>
        )}
        {detail.status === 'integrated' && (
          <MessageBar intent="success" data-testid="intake-integrated">
            <MessageBarBody>{t('intake.integrated', { id: detail.dpi_document_id })}</MessageBarBody>
          </MessageBar>
        )}
        {FIELD_NAMES.map((name) => {
          const field = detail.fields[name];
          const low = !field || field.confidence < LOW_CONFIDENCE;
          return (
            <Field
              key={name}
              label={t(`intake.fields.${name}`)}
              validationState={low && waiting ? 'warning' : 'none'}
              validationMessage={
                low && waiting ? (field ? t('intake.lowConfidence', { value: percent(field.confidence) }) : t('intake.missing')) : undefined
              }
            >
              <Input
                className={low && waiting ? styles.low : undefined}
                value={values[name] ?? ''}
                disabled={!waiting}
                onChange={(_, data) => setValues((previous) => ({ ...previous, [name]: data.value }))}
              />
            </Field>
          );
        })}
        {waiting && (
          <Field label={t('intake.stayChoice')}>
            <RadioGroup value={choice} onChange={(_, data) => setChoice(data.value)} aria-label={t('intake.stayChoice')}>
              {options.map(({ key, candidate, stay }) => (
                <Radio
                  key={key}
                  value={key}
                  label={t('intake.stayOption', {
                    patient: `${candidate.nom} ${candidate.prenom}`,
                    birth: frenchDate(candidate.date_naissance),
                    ipp: candidate.ipp,
                    unit: stay.unit_name,
                    start: frenchDate(stay.start),
                    end: frenchDate(stay.end),
                    nda: stay.nda,
                  })}
                />
              ))}
            </RadioGroup>
            {!options.length && <Text>{t('intake.noCandidate')}</Text>}
          </Field>
        )}
        {waiting && (
          <div className={styles.actions}>
            <Input
              aria-label={t('intake.search')}
              placeholder={t('intake.search')}
              value={query}
              onChange={(_, data) => setQuery(data.value)}
              onKeyDown={(event) => {
                if (event.key === 'Enter' && !event.ctrlKey) {
                  event.preventDefault();
                  void search();
                }
              }}
            />
            <Button onClick={() => void search()}>{t('intake.searchButton')}</Button>
            {found && !found.length && <Text>{t('intake.searchEmpty')}</Text>}
          </div>
        )}
        {error && <Text role="alert" className={styles.error}>{error}</Text>}
        {waiting && (
          <div className={styles.actions}>
            <Button appearance="primary" disabled={!choice || busy} onClick={() => void submit('accept')}>
              {t('intake.accept')}
            </Button>
            {!rejecting && (
              <Button disabled={busy} onClick={() => setRejecting(true)}>
                {t('intake.reject')}
              </Button>
            )}
            {rejecting && (
              <>
                <Input aria-label={t('intake.rejectReason')} placeholder={t('intake.rejectReason')} value={reason} onChange={(_, data) => setReason(data.value)} />
                <Button disabled={busy} onClick={() => void submit('reject')}>
                  {t('intake.confirmReject')}
                </Button>
              </>
            )}
            <Text size={200}>{t('intake.shortcut')}</Text>
          </div>
        )}
        {detail.status === 'failed' && (
          <Button onClick={() => void retry(detail.id).then(setDetail)}>{t('intake.retry')}</Button>
        )}
        {IN_PROGRESS.includes(detail.status) && <Spinner size="tiny" label={t(`intake.status.${detail.status}`)} />}
        <DocumentHistory detail={detail} />
      </div>
    </div>
  );
}
