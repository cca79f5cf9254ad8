import { Toast, ToastBody, ToastTitle, Toaster, useId, useToastController } from '@fluentui/react-components';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink } from 'react-router-dom';
import type { Notification } from './api';
import { useNotifications } from './useNotifications';

/**
 * A toast for each notification that appears while the app is open (not for those already waiting
 * when it opened: the badges say those).
 */
export function NotificationToasts() {
  const toasterId = useId('notifications');
  const { dispatchToast } = useToastController(toasterId);
  const { t } = useTranslation();
  const { data } = useNotifications();
  const known = useRef<Set<string> | null>(null);

  useEffect(() => {
    if (!data) return;
    const keys = new Set(data.items.map(keyOf));
    if (known.current !== null) {
      for (const item of data.items.filter((candidate) => !known.current?.has(keyOf(candidate)))) {
        dispatchToast(
          <Toast>
            <ToastTitle>{t(`notifications.toast.${item.kind}`)}</ToastTitle>
            <ToastBody>
              {item.title}{' '}
              <RouterLink to={item.path}>{t('notifications.open')}</RouterLink>
            </ToastBody>
          </Toast>,
          { intent: item.kind === 'job' && item.status === 'failed' ? 'error' : 'info', timeout: 8000 },
        );
      }
    }
    known.current = keys;
  }, [data, dispatchToast, t]);

  return <Toaster toasterId={toasterId} position="top-end" pauseOnHover />;
}

function keyOf(item: Notification): string {
  return `${item.kind}:${item.id}:${item.status}`;
}
