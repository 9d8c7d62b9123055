import { describe, expect, it } from 'vitest';
import { nextMicrophone } from './fallback.js';

const usb = { deviceId: 'usb', label: 'Casque USB' };
const jack = { deviceId: 'jack', label: 'Micro jack' };
const def = { deviceId: 'default', label: 'Par défaut' };

describe('microphone fallback', () => {
  it('keeps the current microphone while it is there', () => {
    expect(nextMicrophone([usb, jack], { microphoneId: 'usb', fallbackMicrophoneId: 'jack' }, 'usb')).toBeNull();
  });

  it('goes to the configured fallback when the chosen one is unplugged', () => {
    expect(nextMicrophone([jack, def], { microphoneId: 'usb', fallbackMicrophoneId: 'jack' }, 'usb')).toEqual(jack);
  });

  it('goes to the system default, then any input, when the fallback is missing too', () => {
    expect(nextMicrophone([def, jack], { microphoneId: 'usb', fallbackMicrophoneId: 'x' }, 'usb')).toEqual(def);
    expect(nextMicrophone([jack], { microphoneId: 'usb' }, 'usb')).toEqual(jack);
    expect(nextMicrophone([], { microphoneId: 'usb' }, 'usb')).toBeNull();
  });

  it('returns to the chosen microphone when it is plugged back', () => {
    expect(nextMicrophone([usb, jack], { microphoneId: 'usb', fallbackMicrophoneId: 'jack' }, 'jack')).toEqual(usb);
  });
});
