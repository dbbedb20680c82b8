import { Injectable, NotFoundException } from '@nestjs/common';
import type { ClassroomDto, SchoolDto } from '../contracts/api.js';
import { PasswordHasher } from '../auth/password.hasher.js';
import { ClassroomRepository } from './classroom.repository.js';
import { SchoolRepository } from './school.repository.js';
import {
  CreateClassroomBody,
  CreateSchoolBody,
  toClassroomDto,
  toSchoolDto,
  UpdateClassroomBody,
  UpdateSchoolBody,
} from './schools.dto.js';

/** Schools and their classrooms. Who may call what is decided by @Roles on the controller (admins write). */
@Injectable()
export class SchoolsService {
  constructor(
    private readonly schools: SchoolRepository,
    private readonly classrooms: ClassroomRepository,
    private readonly hasher: PasswordHasher,
  ) {}

  async list(): Promise<SchoolDto[]> {
    return (await this.schools.list()).map(toSchoolDto);
  }

  async get(id: number): Promise<SchoolDto> {
    return toSchoolDto(await this.requireSchool(id));
  }

  async create(body: CreateSchoolBody): Promise<SchoolDto> {
    const id = await this.schools.insert(body);
    return this.get(id);
  }

  async update(id: number, body: UpdateSchoolBody): Promise<SchoolDto> {
    await this.requireSchool(id);
    await this.schools.update(id, body);
    return this.get(id);
  }

  async remove(id: number): Promise<void> {
    if (!(await this.schools.delete(id))) throw new NotFoundException(`School ${id} does not exist`);
  }

  /** `withDevice`: the device login (its e-mail is a credential half) is shown to admins only. */
  async listClassrooms(schoolId: number, withDevice: boolean): Promise<ClassroomDto[]> {
    await this.requireSchool(schoolId);
    return (await this.classrooms.listBySchool(schoolId)).map((c) => toClassroomDto(c, withDevice));
  }

  async createClassroom(schoolId: number, body: CreateClassroomBody): Promise<ClassroomDto> {
    const school = await this.requireSchool(schoolId);
    const id = await this.classrooms.insertWithDevice(
      { schoolId, name: body.name, gradeId: body.gradeId },
      {
        email: body.deviceEmail,
        passwordHash: await this.hasher.hash(body.devicePassword),
        displayName: `${school.name} ${body.name}`.slice(0, 100),
        role: 'classroom',
        schoolId,
      },
    );
    return this.getClassroom(id);
  }

  async getClassroom(id: number, withDevice = true): Promise<ClassroomDto> {
    const room = await this.classrooms.findById(id);
    if (!room) throw new NotFoundException(`Classroom ${id} does not exist`);
    return toClassroomDto(room, withDevice);
  }

  async classroomOfDevice(userId: number): Promise<ClassroomDto> {
    const room = await this.classrooms.findByDevice(userId);
    if (!room) throw new NotFoundException('This account is not the device of any classroom');
    return toClassroomDto(room);
  }

  async updateClassroom(id: number, body: UpdateClassroomBody): Promise<ClassroomDto> {
    await this.getClassroom(id);
    await this.classrooms.update(id, body);
    return this.getClassroom(id);
  }

  async removeClassroom(id: number): Promise<void> {
    if (!(await this.classrooms.delete(id))) throw new NotFoundException(`Classroom ${id} does not exist`);
  }

  private async requireSchool(id: number) {
    const school = await this.schools.findById(id);
    if (!school) throw new NotFoundException(`School ${id} does not exist`);
    return school;
  }
}
