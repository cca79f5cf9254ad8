import { Button, Field, ProgressBar, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import { Delete24Regular, DocumentArrowUp24Regular } from '@fluentui/react-icons';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SignInRequired } from '../../api/client';
import { deleteDocument, listDocuments, uploadDocument } from '../../assistants/api';
import { ErrorMessageBar } from '../../components/ErrorMessageBar';
import { useLoad } from '../admin/useLoad';

const ACCEPT = '.pdf,.docx,.txt,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/plain';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  row: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalS },
  hidden: { display: 'none' },
});

interface Uploading {
  name: string;
  fraction: number;
}

/** The assistant's reference documents: upload (with progress), list, remove. */
export function DocumentsSection({ collection }: { collection: string }) {
  const styles = useStyles();
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [documents, reload] = useLoad(['knowledge', collection], () => listDocuments(collection));
  const [uploading, setUploading] = useState<Uploading | null>(null);
  const [error, setError] = useState<unknown>(null);

  const upload = async (file: File) => {
    setError(null);
    setUploading({ name: file.name, fraction: 0 });
    try {
      await uploadDocument(collection, file, (fraction) => setUploading({ name: file.name, fraction })).done;
      reload();
    } catch (failure) {
      if (!(failure instanceof SignInRequired)) setError(failure);
    } finally {
      setUploading(null);
    }
  };

  const remove = async (id: string) => {
    try {
      await deleteDocument(collection, id);
      reload();
    } catch (failure) {
      if (!(failure instanceof SignInRequired)) setError(failure);
    }
  };

  return (
    <section className={styles.root} aria-labelledby="assistant-documents">
      <Text as="h2" id="assistant-documents" size={500} weight="semibold">
        {t('assistants.documents.title')}
      </Text>
      <Text size={200}>{t('assistants.documents.hint')}</Text>
      {documents.kind === 'loading' && <Spinner size="tiny" label={t('assistants.documents.loading')} />}
      {documents.kind === 'failed' && <ErrorMessageBar error={documents.error} />}
      {documents.kind === 'ready' && documents.value.length === 0 && <Text>{t('assistants.documents.none')}</Text>}
      {documents.kind === 'ready' && documents.value.length > 0 && (
        <ul className={styles.list} aria-label={t('assistants.documents.title')}>
          {documents.value.map((document) => (
            <li key={document.id} className={styles.row}>
              <span>
                {document.filename}
                {document.pages ? ` — ${t('assistants.documents.pages', { count: document.pages })}` : ''}
              </span>
              <Button
                appearance="subtle"
                icon={<Delete24Regular />}
                aria-label={t('assistants.documents.remove', { name: document.filename })}
                onClick={() => void remove(document.id)}
              />
            </li>
          ))}
        </ul>
      )}
      {uploading && (
        <Field label={t('assistants.documents.uploading', { name: uploading.name })} validationState="none">
          <ProgressBar value={uploading.fraction} max={1} aria-label={t('assistants.documents.progress')} />
        </Field>
      )}
      {error !== null && <ErrorMessageBar error={error} />}
      <input
        ref={input}
        className={styles.hidden}
        type="file"
        accept={ACCEPT}
        aria-label={t('assistants.documents.file')}
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          event.currentTarget.value = '';
          if (file) void upload(file);
        }}
      />
      <Button icon={<DocumentArrowUp24Regular />} disabled={uploading !== null} onClick={() => input.current?.click()}>
        {t('assistants.documents.upload')}
      </Button>
    </section>
  );
}
