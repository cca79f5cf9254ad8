import { Button } from '@fluentui/react-components';
import { useNavigate } from 'react-router-dom';
import { HOME_PATH } from '../shell/apps';

export function BackHomeButton({ label }: { label: string }) {
  const navigate = useNavigate();
  return (
    <Button appearance="primary" onClick={() => navigate(HOME_PATH)}>
      {label}
    </Button>
  );
}
