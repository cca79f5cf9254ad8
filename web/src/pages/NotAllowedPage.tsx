import { LockClosed24Regular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import { BackHomeButton } from './BackHomeButton';
import { PageMessage } from './PageMessage';

export function NotAllowedPage() {
  const { t } = useTranslation();
  return (
    <PageMessage icon={LockClosed24Regular} title={t('notAllowed.title')} body={t('notAllowed.body')}>
      <BackHomeButton label={t('notAllowed.back')} />
    </PageMessage>
  );
}
