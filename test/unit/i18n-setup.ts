// Unit tests read the web model's sentences in English (see ../i18n-en.ts).
import '../i18n-en';
