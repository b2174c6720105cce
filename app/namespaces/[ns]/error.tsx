"use client";
import { RouteError } from "@/app/_components/admin/route-error";

export default RouteError;
