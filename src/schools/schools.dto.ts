import { IsAcceptablePassword } from '../auth/password-policy.js';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import {
  ROLES,
  SCHOOL_KINDS,
  type ClassroomDto,
  type CreateClassroomRequest,
  type CreateSchoolRequest,
  type CreateUserRequest,
  type Role,
  type SchoolDto,
  type SchoolKind,
  type UpdateClassroomRequest,
  type UpdateUserRequest,
  type UserDto,
} from '../contracts/api.js';
import { PageQuery } from '../common/id.dto.js';
import type { ClassroomRow } from './classroom.repository.js';
import type { SchoolRow } from './school.repository.js';
import type { UserRow } from './user.repository.js';
import { IsGradeId, Trim } from '../common/fields.js';

const lower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

// ---- requests --------------------------------------------------------------------------------------------

export class CreateSchoolBody implements CreateSchoolRequest {
  @ApiProperty({ example: '城关第一小学' })
  @Trim()
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ enum: SCHOOL_KINDS })
  @IsIn(SCHOOL_KINDS)
  kind: SchoolKind;

  @ApiProperty({ example: '甘肃省' })
  @Trim()
  @IsString()
  @Length(1, 50)
  province: string;

  @ApiProperty({ example: '定西市' })
  @Trim()
  @IsString()
  @Length(1, 50)
  city: string;

  @ApiProperty({ example: '渭源县' })
  @Trim()
  @IsString()
  @Length(1, 50)
  county: string;

  @ApiPropertyOptional({ example: 'Asia/Shanghai' })
  @IsOptional()
  @IsIn(Intl.supportedValuesOf('timeZone'), { message: 'timezone must be an IANA time zone such as Asia/Shanghai' })
  timezone?: string;
}

export class UpdateSchoolBody extends PartialType(CreateSchoolBody) {}

export class CreateClassroomBody implements CreateClassroomRequest {
  @ApiProperty({ example: '三年级(1)班' })
  @Trim()
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ minimum: 1, maximum: 9 })
  @IsGradeId()
  gradeId: number;

  @ApiProperty({ example: 'room-3-1@school.example.cn' })
  @Transform(lower)
  @IsEmail()
  @MaxLength(254)
  deviceEmail: string;

  @ApiProperty({ minLength: 10 })
  @IsAcceptablePassword()
  devicePassword: string;
}

export class UpdateClassroomBody implements UpdateClassroomRequest {
  @ApiPropertyOptional()
  @IsOptional()
  @Trim()
  @IsString()
  @Length(1, 100)
  name?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 9 })
  @IsOptional()
  @IsGradeId()
  gradeId?: number;
}

export class CreateUserBody implements CreateUserRequest {
  @ApiProperty()
  @Transform(lower)
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: 10 })
  @IsAcceptablePassword()
  password: string;

  @ApiProperty()
  @Trim()
  @IsString()
  @Length(1, 100)
  displayName: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  schoolId?: number | null;
}

export class UpdateUserBody implements UpdateUserRequest {
  @ApiPropertyOptional()
  @IsOptional()
  @Trim()
  @IsString()
  @Length(1, 100)
  displayName?: string;

  @ApiPropertyOptional({ minLength: 10 })
  @IsOptional()
  @IsAcceptablePassword()
  password?: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  schoolId?: number | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  isActive?: boolean;
}

export class UserQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  schoolId?: number;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  override pageSize = 50;
}


// ---- responses -------------------------------------------------------------------------------------------

export function toUserDto(u: UserRow): UserDto {
  return {
    id: u.id,
    email: u.email,
    displayName: u.displayName,
    role: u.role,
    schoolId: u.schoolId,
    isActive: u.isActive,
    createdAt: u.createdAt.toISOString(),
  };
}

export function toSchoolDto(s: SchoolRow): SchoolDto {
  return {
    id: s.id,
    name: s.name,
    kind: s.kind,
    province: s.province,
    city: s.city,
    county: s.county,
    timezone: s.timezone,
    classroomCount: s.classroomCount,
    createdAt: s.createdAt.toISOString(),
  };
}

export function toClassroomDto(c: ClassroomRow, withDevice = true): ClassroomDto {
  return {
    id: c.id,
    schoolId: c.schoolId,
    schoolName: c.schoolName,
    name: c.name,
    gradeId: c.gradeId,
    deviceUserId: withDevice ? c.deviceUserId : null,
    deviceEmail: withDevice ? c.deviceEmail : null,
    createdAt: c.createdAt.toISOString(),
  };
}
