import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import type { IsoWeekday } from '../contracts/api.js';
import { Transactions, type Queryable } from '../database/transactions.js';
import { SeriesRepository } from '../scheduling/series.repository.js';
import { SessionRepository } from '../scheduling/session.repository.js';
import { PasswordHasher } from '../auth/password.hasher.js';
import { BlobStore } from '../resources/storage/blob-store.js';
import { DateTime } from 'luxon';
import { weeklyOccurrences } from '../scheduling/occurrences.js';
import { pdf, png } from './demo-files.js';

export const DEMO_PASSWORD = 'tongke-demo-2026';
const REGION = { province: '甘肃省', city: '定西市', county: '渭源县' };
const URBAN = '渭源县城关第一小学';

const TEACHERS = [
  { email: 'wang.yinyue@demo.tongke.cn', name: '王老师（音乐）' },
  { email: 'chen.meishu@demo.tongke.cn', name: '陈老师（美术）' },
  { email: 'li.yingyu@demo.tongke.cn', name: '李老师（英语）' },
  { email: 'zhao.kexue@demo.tongke.cn', name: '赵老师（科学）' },
  { email: 'zhang.shuxue@demo.tongke.cn', name: '张老师（数学）' },
];

/** Six rural teaching points and the grades of their (often mixed-age) classrooms. */
const RURAL = [
  { name: '上湾教学点', grades: [1, 3] },
  { name: '峡城教学点', grades: [2, 4] },
  { name: '庆坪教学点', grades: [3, 5] },
  { name: '北寨教学点', grades: [1, 2, 4] },
  { name: '田家河教学点', grades: [5, 6] },
  { name: '秦祁教学点', grades: [3, 6] },
];

const GRADE_NAMES = ['一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** subject code, grade, teacher index, title, description, lessons. */
const COURSES: [string, number, number, string, string, string[]][] = [
  ['music', 3, 0, '《春天在哪里》歌唱课', '用歌声寻找春天：学唱歌曲，感受二拍子的节奏。', ['听一听：春天的声音', '学唱第一段', '节奏拍一拍', '合唱与表演']],
  ['music', 5, 0, '认识五线谱', '从线与间开始，读懂简单的五线谱。', ['五条线四个间', '高音谱号', '音符的时值', '视唱练习']],
  ['art', 2, 1, '色彩的魔法', '三原色与调色，画出心中的彩虹。', ['认识三原色', '调出新颜色', '彩虹与雨后']],
  ['art', 4, 1, '中国剪纸', '折一折、剪一剪，了解传统剪纸艺术。', ['剪纸的故事', '对称剪法', '团花', '作品展示']],
  ['english', 3, 2, 'Hello! 字母与问候', '学习 26 个字母和日常问候语。', ['Hello and Hi', 'Letters A–M', 'Letters N–Z', 'Sing the ABC song']],
  ['english', 5, 2, 'My Day 日常活动', '用英语说一说自己的一天。', ['Getting up', 'At school', 'After school', 'Talk about your day']],
  ['science', 3, 3, '植物的一生', '从种子到开花结果，观察记录植物的生长。', ['种子的秘密', '发芽了', '茎和叶', '开花与结果']],
  ['science', 4, 3, '声音是怎样产生的', '通过实验发现振动与声音的关系。', ['听听周围的声音', '振动与发声', '声音的传播']],
  ['math', 3, 4, '分数的初步认识', '借助图形认识几分之一和几分之几，比较分数的大小。', ['认识几分之一', '认识几分之几', '分数的大小比较', '分数的简单计算']],
  ['math', 6, 4, '圆的面积', '把圆转化为近似的长方形，推导面积公式。', ['圆的认识', '化圆为方', '面积公式', '解决问题']],
  ['morality_law', 4, 4, '我们的公共生活', '认识公共设施，做文明有礼的小公民。', ['公共设施', '公共秩序', '文明出行']],
  ['pe', 2, 0, '趣味跳绳', '单摇、双人跳与花样跳绳，在运动中学会合作。', ['基本跳法', '双人跳', '花样跳绳']],
];

/** A month of weekly synchronized classes from this week on: course title, weekdays, period, classrooms. */
const TIMETABLE: [string, IsoWeekday[], string, string, [string, number][]][] = [
  ['《春天在哪里》歌唱课', [2, 4], '10:00', '10:40', [['上湾教学点', 3]]],
  ['Hello! 字母与问候', [1, 3], '14:00', '14:40', [['上湾教学点', 3], ['庆坪教学点', 3]]],
  ['认识五线谱', [5], '09:00', '09:40', [['庆坪教学点', 5], ['田家河教学点', 5]]],
  ['色彩的魔法', [3], '10:00', '10:40', [['峡城教学点', 2]]],
];

export interface SeedReport {
  seeded: boolean;
  schools: number;
  classrooms: number;
  teachers: number;
  students: number;
  courses: number;
  lessons: number;
  resources: number;
  sessions: number;
}

/**
 * Fills a realistic county: one urban school with five subject teachers, six rural teaching points with
 * classrooms (and their device logins), students, and a dozen published courses with lessons, a cover,
 * and two resources each. Runs in one transaction; does nothing if the demo county is already there.
 */
export async function seedDemo(dataSource: DataSource, dataDir: string, progress: (step: string) => void): Promise<SeedReport> {
  const existing = (await dataSource.query('SELECT 1 FROM school WHERE name = $1 AND county = $2', [URBAN, REGION.county])) as unknown[];
  const empty = { seeded: false, schools: 0, classrooms: 0, teachers: 0, students: 0, courses: 0, lessons: 0, resources: 0, sessions: 0 };
  if (existing.length) return empty;

  const store = new BlobStore(join(dataDir, 'files'));
  await store.init();
  const hash = await new PasswordHasher().hash(DEMO_PASSWORD);
  const report: SeedReport = { ...empty, seeded: true };
  const steps = 6;

  // One transaction for the whole seed; the timetable goes through the scheduling repositories, which join it.
  const tx = new Transactions(dataSource);
  const series = new SeriesRepository(tx);
  const sessions = new SessionRepository(tx);
  await tx.run(async () => {
    const m = tx.db;
    progress(`[1/${steps}] schools`);
    const urbanId = await insertId(m, `INSERT INTO school (name, kind, province, city, county) VALUES ($1, 'urban', $2, $3, $4) RETURNING id`, [
      URBAN,
      REGION.province,
      REGION.city,
      REGION.county,
    ]);
    report.schools++;

    progress(`[2/${steps}] teachers`);
    const teacherIds: number[] = [];
    for (const t of TEACHERS) {
      teacherIds.push(await insertUser(m, t.email, hash, t.name, 'teacher', urbanId));
      report.teachers++;
    }

    progress(`[3/${steps}] rural teaching points, classrooms and students`);
    let room = 0;
    for (const point of RURAL) {
      const schoolId = await insertId(m, `INSERT INTO school (name, kind, province, city, county) VALUES ($1, 'rural', $2, $3, $4) RETURNING id`, [
        point.name,
        REGION.province,
        REGION.city,
        REGION.county,
      ]);
      report.schools++;
      for (const grade of point.grades) {
        room++;
        const name = `${GRADE_NAMES[grade - 1]}年级教室`;
        const device = await insertUser(m, `room${room}@demo.tongke.cn`, hash, `${point.name} ${name}`, 'classroom', schoolId);
        await m.query('INSERT INTO classroom (school_id, name, grade_id, device_user_id) VALUES ($1, $2, $3, $4)', [schoolId, name, grade, device]);
        report.classrooms++;
      }
      report.students++;
      await insertUser(m, `student${report.students}@demo.tongke.cn`, hash, `${point.name}学生${report.students}`, 'student', schoolId);
    }

    progress(`[4/${steps}] courses and lessons`);
    const subjects = new Map(((await m.query('SELECT id, code FROM subject')) as { id: number; code: string }[]).map((s) => [s.code, s.id]));
    const courseIds: [number, number, string, number][] = [];
    for (const [i, [code, grade, teacher, title, description, lessons]] of COURSES.entries()) {
      const cover = await storeBlob(m, store, png(320, 180, palette(i)), 'image/png');
      const courseId = await insertId(
        m,
        `INSERT INTO course (title, description, subject_id, grade_id, teacher_id, status, cover_sha256, published_at)
         VALUES ($1, $2, $3, $4, $5, 'published', $6, now() - make_interval(days => $7)) RETURNING id`,
        [title, description, subjects.get(code), grade, teacherIds[teacher], cover, COURSES.length - i],
      );
      report.courses++;
      let firstLesson = 0;
      for (const [position, lesson] of lessons.entries()) {
        const id = await insertId(m, 'INSERT INTO lesson (course_id, position, title, duration_minutes) VALUES ($1, $2, $3, 40) RETURNING id', [
          courseId,
          position + 1,
          lesson,
        ]);
        firstLesson ||= id;
        report.lessons++;
      }
      courseIds.push([courseId, firstLesson, code, teacherIds[teacher]]);
    }

    progress(`[5/${steps}] teaching resources`);
    for (const [n, [courseId, lessonId, code, ownerId]] of courseIds.entries()) {
      const plan = await storeBlob(m, store, pdf(`Tongke lesson plan: ${code}, course ${n + 1}`), 'application/pdf');
      await insertResource(m, courseId, null, ownerId, '教学设计（教案）', 'document', 'public', plan, '教学设计.pdf');
      const sheet = Buffer.from(`课堂练习\n\n课程：${COURSES[n][3]}\n\n1. \n2. \n3. \n`, 'utf8');
      const sheetSha = await storeBlob(m, store, sheet, 'text/plain');
      await insertResource(m, courseId, lessonId, ownerId, '课堂练习单', 'text', 'school', sheetSha, '课堂练习单.txt');
      report.resources += 2;
    }

    progress(`[6/${steps}] a month of synchronized classes`);
    const zone = 'Asia/Shanghai';
    const monday = DateTime.now().setZone(zone).startOf('week');
    for (const [title, weekdays, periodStart, periodEnd, bookings] of TIMETABLE) {
      const [course] = (await m.query('SELECT id, teacher_id AS "teacherId" FROM course WHERE title = $1', [title])) as { id: number; teacherId: number }[];
      const termStart = monday.toISODate()!;
      const termEnd = monday.plus({ weeks: 4, days: -1 }).toISODate()!;
      const seriesId = await series.insert({
        courseId: course.id,
        teacherId: course.teacherId,
        title,
        weekdays,
        periodStart,
        periodEnd,
        termStart,
        termEnd,
        holidays: [],
        timezone: zone,
      });
      const lessons = (await m.query('SELECT id, title FROM lesson WHERE course_id = $1 ORDER BY position', [course.id])) as { id: number; title: string }[];
      const occurrences = weeklyOccurrences({ weekdays, periodStart, periodEnd, termStart, termEnd, holidays: [], timezone: zone });
      for (const [n, occ] of occurrences.entries()) {
        const lesson = lessons[n];
        const sessionId = await sessions.insert({
          seriesId,
          courseId: course.id,
          lessonId: lesson?.id ?? null,
          teacherId: course.teacherId,
          title: lesson ? `${title} · ${lesson.title}` : title,
          startsAt: occ.start,
          endsAt: occ.end,
        });
        report.sessions++;
        for (const [school, grade] of bookings) {
          const rooms = (await m.query('SELECT r.id FROM classroom r JOIN school s ON s.id = r.school_id WHERE s.name = $1 AND r.grade_id = $2', [school, grade])) as {
            id: number;
          }[];
          for (const room of rooms) await sessions.book(sessionId, room.id, false);
        }
      }
    }
  });
  return report;
}

async function insertId(m: Queryable, sql: string, params: unknown[]): Promise<number> {
  const [{ id }] = (await m.query(sql, params)) as { id: number }[];
  return id;
}

function insertUser(m: Queryable, email: string, hash: string, name: string, role: string, schoolId: number | null): Promise<number> {
  return insertId(m, 'INSERT INTO app_user (email, password_hash, display_name, role, school_id) VALUES ($1, $2, $3, $4, $5) RETURNING id', [
    email,
    hash,
    name,
    role,
    schoolId,
  ]);
}

async function storeBlob(m: Queryable, store: BlobStore, bytes: Buffer, mimeType: string): Promise<string> {
  const sha256 = await store.putBuffer(bytes);
  await m.query('INSERT INTO blob (sha256, size, mime_type) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [sha256, bytes.length, mimeType]);
  return sha256;
}

async function insertResource(
  m: Queryable,
  courseId: number,
  lessonId: number | null,
  ownerId: number,
  title: string,
  kind: string,
  visibility: string,
  sha256: string,
  filename: string,
): Promise<void> {
  const id = await insertId(
    m,
    'INSERT INTO resource (course_id, lesson_id, owner_id, title, kind, visibility) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
    [courseId, lessonId, ownerId, title, kind, visibility],
  );
  await m.query('INSERT INTO resource_version (resource_id, version, blob_sha256, filename, uploaded_by) VALUES ($1, 1, $2, $3, $4)', [
    id,
    sha256,
    filename,
    ownerId,
  ]);
}

function palette(i: number): [number, number, number] {
  const colours: [number, number, number][] = [
    [231, 111, 81],
    [244, 162, 97],
    [233, 196, 106],
    [42, 157, 143],
    [38, 70, 83],
    [106, 76, 147],
  ];
  return colours[i % colours.length];
}
