// Ad-hoc screenshot helper (not a test): node shot.mjs '<hash or query>' out.png
import { chromium } from '@playwright/test';
const [,, hash = '', out = '/tmp/shots/page.png', waitFor = 'done'] = process.argv;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
page.on('console', (m) => console.log('console:', m.text()));
page.on('pageerror', (e) => console.log('pageerror:', e.message));
await page.goto(`http://127.0.0.1:8099/${hash}`);
await page.waitForSelector('#play:not([disabled])', { timeout: 30000 });
if (!hash.includes('#')) await page.click('#play');
if (waitFor === 'done') await page.waitForFunction(() => document.querySelector('#play').dataset.phase === 'done', null, { timeout: 60000 });
await page.waitForTimeout(500);
console.log('status:', await page.textContent('#train-status'), '| counter:', await page.textContent('#counter'));
console.log('message:', await page.evaluate(() => document.querySelector('#message').hidden ? '' : document.querySelector('#message-text').textContent));
await page.screenshot({ path: out, fullPage: true });
await browser.close();
