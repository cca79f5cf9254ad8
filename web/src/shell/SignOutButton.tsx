import { Button, Tooltip } from '@fluentui/react-components';
import { SignOut24Regular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { signOut as signOutEverywhere } from '../auth';
import { SIGNED_OUT_PATH } from '../pages/SignedOutPage';

export function SignOutButton() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const signOut = () => {
    void signOutEverywhere();
    navigate(SIGNED_OUT_PATH, { replace: true });
  };
  return (
    <Tooltip content={t('topBar.signOut')} relationship="label">
      <Button appearance="subtle" icon={<SignOut24Regular />} onClick={signOut} />
    </Tooltip>
  );
}
